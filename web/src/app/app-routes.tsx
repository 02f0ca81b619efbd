import { Navigate, Route, Routes } from 'react-router';
import { AuthLayout } from '../auth/auth-layout.tsx';
import { LoginPage } from '../auth/login-page.tsx';
import { GuestOnly, RequireSession } from '../auth/session-gates.tsx';
import { SignupPage } from '../auth/signup-page.tsx';
import { ForgotPasswordPage } from '../auth/forgot-password-page.tsx';
import { ResetPasswordPage } from '../auth/reset-password-page.tsx';
import { ConfirmEmailPage } from '../auth/confirm-email-page.tsx';
import { EmailPage } from '../settings/email-page.tsx';
import { ComposePage } from '../compose/compose-page.tsx';
import { HomePage } from '../feed/home-page.tsx';
import { FollowRequestsPage } from '../follow-requests/follow-requests-page.tsx';
import { NotificationsPage } from '../notifications/notifications-page.tsx';
import { PostRoute } from '../posts/post-page.tsx';
import { EditProfilePage } from '../profile/edit-profile-page.tsx';
import { FollowListRoute, ProfileRoute } from '../profile/profile-route.tsx';
import { SearchPage } from '../search/search-page.tsx';
import { BlockedAccountsPage } from '../settings/blocked-accounts-page.tsx';
import { MutedAccountsPage } from '../settings/muted-accounts-page.tsx';
import { PasswordPage } from '../settings/password-page.tsx';
import { DeleteAccountPage } from '../settings/delete-account-page.tsx';
import { ImportExportPage } from '../settings/import-export-page.tsx';
import { SecurityPage } from '../settings/security-page.tsx';
import { SettingsLayout } from '../settings/settings-layout.tsx';
import { CloseFriendsPage } from '../close-friends/close-friends-page.tsx';
import { HighlightsSettingsPage } from '../stories/highlights-settings-page.tsx';
import { StoryArchivePage } from '../stories/story-archive-page.tsx';
import { StoryComposerPage } from '../stories/story-composer-page.tsx';
import { AccountStoriesRoute, HighlightStoriesRoute } from '../stories/story-viewer-page.tsx';
import { HashtagRoute } from '../hashtags/hashtag-page.tsx';
import { AdminReportsPage } from '../moderation/admin-reports-page.tsx';
import { InstanceSettingsPage } from '../admin/instance-settings-page.tsx';
import { CommentSettingsPage } from '../moderation/comment-settings-page.tsx';
import { DigestRoute } from '../moderation/digest-page.tsx';
import { HiddenCommentsRoute } from '../moderation/hidden-comments-page.tsx';
import { HiddenWordsPage } from '../moderation/hidden-words-page.tsx';
import { FiltersPage } from '../filters/filters-page.tsx';
import { ScheduledPostsPage } from '../scheduled/scheduled-page.tsx';
import { AppLayout } from './app-layout.tsx';
import { NotFoundPage } from './not-found-page.tsx';

/**
 * React Router has no partial segments, so `/@username` is matched as `/:handle` and the
 * profile route checks for the `@`; likewise `/@username/:id` (a post) is `/:handle/:postId`.
 * Static paths always outrank them (`/:handle/followers` over a post id).
 */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<GuestOnly />}>
        <Route element={<AuthLayout />}>
          <Route path="login" element={<LoginPage />} />
          <Route path="signup" element={<SignupPage />} />
          <Route path="forgot-password" element={<ForgotPasswordPage />} />
        </Route>
      </Route>
      {/* Mailed links open these, signed in or not. */}
      <Route element={<AuthLayout />}>
        <Route path="reset-password/:token" element={<ResetPasswordPage />} />
        <Route path="confirm-email/:token" element={<ConfirmEmailPage />} />
      </Route>
      {/* The story viewer is full-screen, outside the app's frame. */}
      <Route path="stories/:accountId" element={<AccountStoriesRoute />} />
      <Route path="stories/:accountId/highlights/:highlightId" element={<HighlightStoriesRoute />} />
      <Route element={<AppLayout />}>
        <Route path="tags/:tag" element={<HashtagRoute />} />
        <Route path=":handle" element={<ProfileRoute />} />
        <Route path=":handle/followers" element={<FollowListRoute kind="followers" />} />
        <Route path=":handle/following" element={<FollowListRoute kind="following" />} />
        <Route path=":handle/:postId" element={<PostRoute />} />
        <Route element={<RequireSession />}>
          <Route index element={<HomePage />} />
          <Route path="search" element={<SearchPage />} />
          <Route path="compose" element={<ComposePage />} />
          <Route path="stories/new" element={<StoryComposerPage />} />
          <Route path="notifications" element={<NotificationsPage />} />
          <Route path="admin/reports" element={<AdminReportsPage />} />
          <Route path="admin/instance" element={<InstanceSettingsPage />} />
          <Route path="follow-requests" element={<FollowRequestsPage />} />
          <Route path=":handle/:postId/hidden" element={<HiddenCommentsRoute />} />
          <Route path=":handle/:postId/digest" element={<DigestRoute />} />
          <Route path="scheduled" element={<Navigate to="/settings/scheduled" replace />} />
          <Route path="settings" element={<SettingsLayout />}>
            <Route index element={<Navigate to="profile" replace />} />
            <Route path="profile" element={<EditProfilePage />} />
            <Route path="email" element={<EmailPage />} />
            <Route path="password" element={<PasswordPage />} />
            <Route path="security" element={<SecurityPage />} />
            <Route path="blocked" element={<BlockedAccountsPage />} />
            <Route path="muted" element={<MutedAccountsPage />} />
            <Route path="comments" element={<CommentSettingsPage />} />
            <Route path="hidden-words" element={<HiddenWordsPage />} />
            <Route path="close-friends" element={<CloseFriendsPage />} />
            <Route path="highlights" element={<HighlightsSettingsPage />} />
            <Route path="story-archive" element={<StoryArchivePage />} />
            <Route path="filters" element={<FiltersPage />} />
            <Route path="scheduled" element={<ScheduledPostsPage />} />
            <Route path="import-export" element={<ImportExportPage />} />
            <Route path="delete-account" element={<DeleteAccountPage />} />
          </Route>
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
