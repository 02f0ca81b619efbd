import { Link } from 'react-router';
import { useDocumentTitle } from '../ui/use-document-title.ts';

export function NotFoundPage() {
  useDocumentTitle('Page not found');
  return (
    <div className="page page-narrow not-found">
      <h1 className="page-title">Sorry, this page isn&rsquo;t available.</h1>
      <p>
        The link you followed may be broken, or the page may have been removed. <Link to="/">Go back to Glimpse.</Link>
      </p>
    </div>
  );
}
