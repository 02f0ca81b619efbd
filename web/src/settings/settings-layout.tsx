import { NavLink, Outlet } from 'react-router';
import './settings.css';

/**
 * Settings pages share a side menu (a row of tabs on a phone). Its labels avoid the words of
 * the main navigation ("Profile"), so each link name stays unique on the page.
 */
export function SettingsLayout() {
  return (
    <div className="page settings-page">
      <nav className="settings-nav" aria-label="Settings">
        <p className="settings-nav-title" aria-hidden="true">
          Settings
        </p>
        <ul>
          <li>
            <NavLink to="/settings/profile">Account details</NavLink>
          </li>
          <li>
            <NavLink to="/settings/email">E-mail address</NavLink>
          </li>
          <li>
            <NavLink to="/settings/password">Password</NavLink>
          </li>
          <li>
            <NavLink to="/settings/security">Security</NavLink>
          </li>
          <li>
            <NavLink to="/settings/blocked">Blocked accounts</NavLink>
          </li>
          <li>
            <NavLink to="/settings/muted">Muted accounts</NavLink>
          </li>
          <li>
            <NavLink to="/settings/comments">Comments</NavLink>
          </li>
          <li>
            <NavLink to="/settings/hidden-words">Hidden words</NavLink>
          </li>
          <li>
            <NavLink to="/settings/close-friends">Close friends</NavLink>
          </li>
          <li>
            <NavLink to="/settings/highlights">Highlights</NavLink>
          </li>
          <li>
            <NavLink to="/settings/story-archive">Story archive</NavLink>
          </li>
          <li>
            <NavLink to="/settings/filters">Filters</NavLink>
          </li>
          <li>
            <NavLink to="/settings/scheduled">Scheduled posts</NavLink>
          </li>
          <li>
            <NavLink to="/settings/import-export">Import and export</NavLink>
          </li>
          <li>
            <NavLink to="/settings/delete-account">Delete account</NavLink>
          </li>
        </ul>
      </nav>
      <div className="settings-content">
        <Outlet />
      </div>
    </div>
  );
}
