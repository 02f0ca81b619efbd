import { useState, type ReactNode } from 'react';
import { Link, NavLink, useNavigate } from 'react-router';
import type { Account } from '../api/mastodon-types.ts';
import { useSession } from '../auth/session-context.tsx';
import { useUnreadNotifications } from '../notifications/unread-notifications-context.tsx';
import { Avatar } from '../ui/avatar.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { ErrorMessage } from '../ui/feedback.tsx';
import { CompassIcon, FlagIcon, HeartIcon, HomeIcon, LogOutIcon, MessagesIcon, PersonAddIcon, PlusSquareIcon, SearchIcon, ServerIcon, SettingsIcon } from '../ui/icons.tsx';
import { profilePath } from '../ui/account-name.ts';

/** A link's icon, with its unread count on top (99+ past 99). */
function NavIcon({ icon, badge }: { icon: ReactNode; badge?: number }) {
  return (
    <span className="nav-icon">
      {icon}
      {badge !== undefined && badge > 0 && (
        <span className="nav-badge" aria-hidden="true">
          {badge > 99 ? '99+' : badge}
        </span>
      )}
    </span>
  );
}

/** The count read out as the link's description; outside the link, so its name stays its label. */
function BadgeDescription({ id, badge }: { id: string; badge?: number }) {
  if (!badge) return null;
  return (
    <span id={id} className="visually-hidden">
      {badge} unread
    </span>
  );
}

const badgeIdOf = (label: string, where: string) => `nav-badge-${where}-${label.toLowerCase().replace(/\s+/g, '-')}`;

function NavItem({ to, label, icon, end, badge, className }: { to: string; label: string; icon: ReactNode; end?: boolean; badge?: number; className?: string }) {
  const badgeId = badgeIdOf(label, 'tab');
  return (
    <li className={className ? `nav-item ${className}` : 'nav-item'}>
      <NavLink to={to} end={end} className="nav-link" aria-describedby={badge ? badgeId : undefined}>
        <NavIcon icon={icon} badge={badge} />
        <span className="nav-label">{label}</span>
      </NavLink>
      <BadgeDescription id={badgeId} badge={badge} />
    </li>
  );
}

/** A link of the account actions (the top bar on a phone): an icon and its label. */
function BarLink({ to, label, icon, badge, className = 'nav-link' }: { to: string; label: string; icon: ReactNode; badge?: number; className?: string }) {
  const badgeId = badgeIdOf(label, 'bar');
  return (
    <>
      <NavLink to={to} className={className} aria-describedby={badge ? badgeId : undefined}>
        <NavIcon icon={icon} badge={badge} />
        <span className="nav-label">{label}</span>
      </NavLink>
      <BadgeDescription id={badgeId} badge={badge} />
    </>
  );
}

/**
 * One set of links for every screen size: a left sidebar on desktop; on a phone the same
 * header becomes a top bar (logo, settings, log out) and the links a bottom tab bar.
 */
export function AppNav({ account }: { account: Account }) {
  const { logOut, state } = useSession();
  // Staff work the report queue: moderators as well as admins (server: access/staff-policy.ts).
  const isAdmin = state.status === 'signed-in' && (state.role === 'admin' || state.role === 'moderator');
  const isInstanceAdmin = state.status === 'signed-in' && state.role === 'admin';
  const { count, unreadMessages } = useUnreadNotifications();
  const navigate = useNavigate();
  const [logoutError, setLogoutError] = useState<unknown>(null);
  const [isLoggingOut, setLoggingOut] = useState(false);
  const [isConfirmingLogOut, setConfirmingLogOut] = useState(false);

  const onLogOut = async () => {
    setLogoutError(null);
    setLoggingOut(true);
    try {
      await logOut();
      navigate('/login', { replace: true });
    } catch (error) {
      setLogoutError(error);
      setLoggingOut(false);
    }
  };

  return (
    <header className="app-sidebar">
      <Link to="/" className="brand-logo app-logo">
        Glimpse
      </Link>
      <nav className="app-nav" aria-label="Main">
        <ul className="nav-list">
          <NavItem to="/" end label="Home" icon={<HomeIcon />} />
          <NavItem to="/search" label="Search" icon={<SearchIcon />} />
          <NavItem to="/explore" label="Explore" icon={<CompassIcon />} />
          <NavItem to="/compose" label="New post" icon={<PlusSquareIcon />} />
          <NavItem to="/notifications" label="Notifications" icon={<HeartIcon />} badge={count} />
          {/* On a phone Messages is in the top bar instead (app-layout.css). */}
          <NavItem to="/direct" label="Messages" icon={<MessagesIcon />} badge={unreadMessages} className="nav-item-messages" />
          <NavItem to="/follow-requests" label="Follow requests" icon={<PersonAddIcon />} />
          <NavItem to={profilePath(account)} end label="Profile" icon={<Avatar account={account} size="small" />} />
          {/* Staff links leave the bottom tab bar on a phone (too many tabs); the top bar's menu has them. */}
          {isAdmin && <NavItem to="/admin/reports" label="Reports" icon={<FlagIcon />} className="nav-item-staff" />}
          {/* Instance settings are for admins only, not moderators (server: access/staff-policy.ts). */}
          {isInstanceAdmin && <NavItem to="/admin/instance" label="Instance" icon={<ServerIcon />} className="nav-item-staff" />}
        </ul>
      </nav>
      <div className="app-account-actions">
        {isAdmin && (
          <nav className="staff-menu" aria-label="Staff">
            <BarLink to="/admin/reports" label="Reports" icon={<FlagIcon />} />
            {isInstanceAdmin && <BarLink to="/admin/instance" label="Instance" icon={<ServerIcon />} />}
          </nav>
        )}
        <BarLink to="/direct" label="Messages" icon={<MessagesIcon />} badge={unreadMessages} className="nav-link nav-messages-top" />
        <BarLink to="/settings" label="Settings" icon={<SettingsIcon />} />
        <button type="button" className="nav-link nav-button" onClick={() => setConfirmingLogOut(true)} disabled={isLoggingOut}>
          <span className="nav-icon">
            <LogOutIcon />
          </span>
          <span className="nav-label">Log out</span>
        </button>
        {logoutError ? <ErrorMessage error={logoutError} /> : null}
        {isConfirmingLogOut && (
          <ConfirmDialog title="Log out of your account?" confirmLabel="Log out" isBusy={isLoggingOut} onConfirm={onLogOut} onCancel={() => setConfirmingLogOut(false)}>
            <ErrorMessage error={logoutError} />
          </ConfirmDialog>
        )}
      </div>
    </header>
  );
}
