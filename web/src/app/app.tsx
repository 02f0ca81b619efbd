import { Suspense, useState, type ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router';
import type { ApiClient } from '../api/api-client.ts';
import { ApiProvider } from '../api/api-context.tsx';
import { createQueryClient } from '../api/query-client.ts';
import { SessionProvider } from '../auth/session-context.tsx';
import { AppRoutes } from './app-routes.tsx';
import { ShellSkeleton } from './app-shell.tsx';

export function AppProviders({ client, children }: { client: ApiClient; children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <ApiProvider client={client}>
        <SessionProvider>{children}</SessionProvider>
      </ApiProvider>
    </QueryClientProvider>
  );
}

export function App({ client }: { client: ApiClient }) {
  return (
    <BrowserRouter>
      <AppProviders client={client}>
        {/* Pages outside the frame (log-in, the story viewer) load their code behind the skeleton. */}
        <Suspense fallback={<ShellSkeleton />}>
          <AppRoutes />
        </Suspense>
      </AppProviders>
    </BrowserRouter>
  );
}
