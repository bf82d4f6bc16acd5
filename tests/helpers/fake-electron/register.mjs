// `node --import ./register.mjs out/main/index.js`: the built main bundle with 'electron' resolved to ./electron.mjs.
import { register } from 'node:module';

register(new URL('./hooks.mjs', import.meta.url));
