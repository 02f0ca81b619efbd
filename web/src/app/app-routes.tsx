import { Navigate, Route, Routes } from 'react-router';
import { AuthLayout } from '../auth/auth-layout.tsx';
import { GuestOnly, RequireSession } from '../auth/session-gates.tsx';
import { AppLayout } from './app-layout.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { lazyPage } from './lazy-page.ts';

// Every page is its own chunk (the frame, the gates and the 404 page stay in the entry).
const LoginPage = lazyPage(() => import('../auth/login-page.tsx'), 'LoginPage');
const SignupPage = lazyPage(() => import('../auth/signup-page.tsx'), 'SignupPage');
const ForgotPasswordPage = lazyPage(() => import('../auth/forgot-password-page.tsx'), 'ForgotPasswordPage');
const ResetPasswordPage = lazyPage(() => import('../auth/reset-password-page.tsx'), 'ResetPasswordPage');
const ConfirmEmailPage = lazyPage(() => import('../auth/confirm-email-page.tsx'), 'ConfirmEmailPage');
const EmailPage = lazyPage(() => import('../settings/email-page.tsx'), 'EmailPage');
const ComposePage = lazyPage(() => import('../compose/compose-page.tsx'), 'ComposePage');
const HomePage = lazyPage(() => import('../feed/home-page.tsx'), 'HomePage');
const FollowRequestsPage = lazyPage(() => import('../follow-requests/follow-requests-page.tsx'), 'FollowRequestsPage');
const NotificationsPage = lazyPage(() => import('../notifications/notifications-page.tsx'), 'NotificationsPage');
const ExplorePage = lazyPage(() => import('../explore/explore-page.tsx'), 'ExplorePage');
const PostRoute = lazyPage(() => import('../posts/post-page.tsx'), 'PostRoute');
const EditProfilePage = lazyPage(() => import('../profile/edit-profile-page.tsx'), 'EditProfilePage');
const FollowListRoute = lazyPage(() => import('../profile/profile-route.tsx'), 'FollowListRoute');
const ProfileRoute = lazyPage(() => import('../profile/profile-route.tsx'), 'ProfileRoute');
const SearchPage = lazyPage(() => import('../search/search-page.tsx'), 'SearchPage');
const BlockedAccountsPage = lazyPage(() => import('../settings/account-toggle-list-page.tsx'), 'BlockedAccountsPage');
const MutedAccountsPage = lazyPage(() => import('../settings/account-toggle-list-page.tsx'), 'MutedAccountsPage');
const PasswordPage = lazyPage(() => import('../settings/password-page.tsx'), 'PasswordPage');
const DeleteAccountPage = lazyPage(() => import('../settings/delete-account-page.tsx'), 'DeleteAccountPage');
const ImportExportPage = lazyPage(() => import('../settings/import-export-page.tsx'), 'ImportExportPage');
const SecurityPage = lazyPage(() => import('../settings/security-page.tsx'), 'SecurityPage');
const SettingsLayout = lazyPage(() => import('../settings/settings-layout.tsx'), 'SettingsLayout');
const CloseFriendsPage = lazyPage(() => import('../close-friends/close-friends-page.tsx'), 'CloseFriendsPage');
const HighlightsSettingsPage = lazyPage(() => import('../stories/highlights-settings-page.tsx'), 'HighlightsSettingsPage');
const StoryArchivePage = lazyPage(() => import('../stories/story-archive-page.tsx'), 'StoryArchivePage');
const StoryComposerPage = lazyPage(() => import('../stories/story-composer-page.tsx'), 'StoryComposerPage');
const AccountStoriesRoute = lazyPage(() => import('../stories/story-viewer-page.tsx'), 'AccountStoriesRoute');
const HighlightStoriesRoute = lazyPage(() => import('../stories/story-viewer-page.tsx'), 'HighlightStoriesRoute');
const HashtagRoute = lazyPage(() => import('../hashtags/hashtag-page.tsx'), 'HashtagRoute');
const AdminReportsPage = lazyPage(() => import('../moderation/admin-reports-page.tsx'), 'AdminReportsPage');
const InstanceSettingsPage = lazyPage(() => import('../admin/instance-settings-page.tsx'), 'InstanceSettingsPage');
const CommentSettingsPage = lazyPage(() => import('../moderation/comment-settings-page.tsx'), 'CommentSettingsPage');
const DigestRoute = lazyPage(() => import('../moderation/digest-page.tsx'), 'DigestRoute');
const HiddenCommentsRoute = lazyPage(() => import('../moderation/hidden-comments-page.tsx'), 'HiddenCommentsRoute');
const HiddenWordsPage = lazyPage(() => import('../moderation/hidden-words-page.tsx'), 'HiddenWordsPage');
const FiltersPage = lazyPage(() => import('../filters/filters-page.tsx'), 'FiltersPage');
const ScheduledPostsPage = lazyPage(() => import('../scheduled/scheduled-page.tsx'), 'ScheduledPostsPage');
const InboxPage = lazyPage(() => import('../conversations/inbox-page.tsx'), 'InboxPage');
const NewMessagePage = lazyPage(() => import('../conversations/new-message-page.tsx'), 'NewMessagePage');
const ConversationRoute = lazyPage(() => import('../conversations/thread-page.tsx'), 'ConversationRoute');

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
        {/* Trends are public; suggestions show only when signed in. */}
        <Route path="explore" element={<ExplorePage />} />
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
          <Route path="direct" element={<InboxPage />} />
          <Route path="direct/new" element={<NewMessagePage />} />
          <Route path="direct/:conversationId" element={<ConversationRoute />} />
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
