import { render } from '@testing-library/react';
import { MemoryRouter, useLocation } from 'react-router';
import { ApiClient } from '../api/api-client.ts';
import type { Account } from '../api/mastodon-types.ts';
import { AppProviders } from '../app/app.tsx';
import { AppRoutes } from '../app/app-routes.tsx';
import type { FetchMock } from './fetch-mock.ts';

export const CSRF = 'csrf-token-of-this-session';

function CurrentPath() {
  const location = useLocation();
  return <div data-testid="current-path">{location.pathname}</div>;
}

/** The whole app at `path`, against whatever the fetch mock answers. */
export function renderApp(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <AppProviders client={new ApiClient()}>
        <AppRoutes />
        <CurrentPath />
      </AppProviders>
    </MemoryRouter>,
  );
}

/** The server side of "someone is logged in as `account`". */
export function signedInAs(server: FetchMock, account: Account, role = 'user') {
  server
    .on('GET', '/api/glimpse/v1/session', { body: { account, role, csrf_token: CSRF } })
    .on('GET', '/api/glimpse/v1/notifications/unread_count', { body: { count: 0 } })
    .on('GET', '/api/glimpse/v1/conversations/unread_count', { body: { count: 0 } });
}

export function signedOut(server: FetchMock) {
  server.on('GET', '/api/glimpse/v1/session', { status: 401, body: { error: 'The access token is invalid' } });
}
