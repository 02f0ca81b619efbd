import type { ReactNode } from 'react';
import { BrowserRouter } from 'react-router';
import type { ApiClient } from '../api/api-client.ts';
import { ApiProvider } from '../api/api-context.tsx';
import { SessionProvider } from '../auth/session-context.tsx';
import { AppRoutes } from './app-routes.tsx';

export function AppProviders({ client, children }: { client: ApiClient; children: ReactNode }) {
  return (
    <ApiProvider client={client}>
      <SessionProvider>{children}</SessionProvider>
    </ApiProvider>
  );
}

export function App({ client }: { client: ApiClient }) {
  return (
    <BrowserRouter>
      <AppProviders client={client}>
        <AppRoutes />
      </AppProviders>
    </BrowserRouter>
  );
}
