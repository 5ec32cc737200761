import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

// https://vite.dev/config/
export default defineConfig({
  plugins: [
    vue({
      // <webchat-agent> is a custom element, not a Vue component: Vue renders it as it is.
      template: { compilerOptions: { isCustomElement: (tag) => tag === 'webchat-agent' } },
    }),
  ],
})
