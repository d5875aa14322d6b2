// Tokens and shared controls first: each feature's CSS, imported by its components, comes after them.
import './app/ui/tokens.css';
import './app/ui/base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ToastProvider } from './app/ui/Toasts';
import { TooltipProvider } from './app/ui/Tooltip';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <TooltipProvider>
      <ToastProvider>
        <App />
      </ToastProvider>
    </TooltipProvider>
  </StrictMode>,
);
