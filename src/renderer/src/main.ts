import { mount } from 'svelte';
import App from './App.svelte';
import { resolveClient } from './lib/api';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');

const resolution = resolveClient();
mount(App, {
  target,
  props: resolution.client ? { api: resolution.client } : { api: null, problem: resolution.problem },
});
