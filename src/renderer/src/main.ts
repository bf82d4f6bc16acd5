import { mount } from 'svelte';
import App from './App.svelte';
import { resolveClient } from './lib/api';
import { applyLanguage, language } from './lib/language.svelte';
import './app.css';

// The system's language until the settings say otherwise (bound before any component renders a message).
applyLanguage(language.current);

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');

const resolution = resolveClient();
mount(App, {
  target,
  props: resolution.client ? { api: resolution.client } : { api: null, problem: resolution.problem },
});
