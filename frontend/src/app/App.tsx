import { BrowserRouter } from 'react-router';
import { env } from '@/config/env';
import { AppProvider } from './provider';
import { AppRoutes } from './router';

export function App() {
  return (
    <AppProvider>
      <BrowserRouter basename={env().basePath.replace(/\/$/, '') || '/'}>
        <AppRoutes />
      </BrowserRouter>
    </AppProvider>
  );
}
