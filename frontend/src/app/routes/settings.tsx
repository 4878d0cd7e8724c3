import { useDocumentTitle } from '@/hooks/use-document-title';
import { AccessTokens } from '@/features/tokens/components/AccessTokens';

/** `/settings` (and `/tokens`, which leads here): the personal access tokens for tools. */
export default function SettingsPage() {
  useDocumentTitle('Settings');
  return (
    <div className="page page--medium stack">
      <h1>Settings</h1>
      <AccessTokens />
    </div>
  );
}
