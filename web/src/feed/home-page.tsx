import { Link } from 'react-router';
import { EmptyState } from '../ui/feedback.tsx';
import { CameraIcon } from '../ui/icons.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import './feed.css';

/** The home feed. Posts arrive with the photo-posts feature; until then, an invitation. */
export function HomePage() {
  useDocumentTitle('Home');
  return (
    <div className="page page-feed">
      <h1 className="page-title">Your feed</h1>
      <EmptyState icon={<CameraIcon />} title="Nothing to see yet">
        <p>When people you follow share photos, they will show up here.</p>
        <p>
          <Link className="button button-primary" to="/search">
            Find people to follow
          </Link>
        </p>
      </EmptyState>
    </div>
  );
}
