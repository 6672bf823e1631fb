import { createApp } from 'vue';
import 'mt-click-to-call/define';
import App from './App.vue';

createApp(App).mount('#app');
