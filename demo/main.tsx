import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../src/react/lean-upload.css';
import './demo.css';
import { App } from './App.js';

const root = document.getElementById('root');
if (!root) throw new Error('demo/index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
