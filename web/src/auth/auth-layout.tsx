import { Outlet } from 'react-router';
import './auth.css';

/** Log-in and sign-up: a centred card, no app navigation. */
export function AuthLayout() {
  return (
    <main className="auth-page" id="main">
      <div className="auth-card">
        <h1 className="brand-logo auth-logo">Glimpse</h1>
        <Outlet />
      </div>
    </main>
  );
}
