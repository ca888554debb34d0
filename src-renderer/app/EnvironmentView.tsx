import type { EnvironmentView as Env } from '../../src-main/contract/types.js';
import { CopyPanel } from '../copy/CopyPanel.js';
import { EnvironmentHeader } from '../environments/EnvironmentHeader.js';
import { IdentityList } from '../identities/IdentityList.js';
import { PermissionList } from '../identities/PermissionList.js';
import { ProfilePanel } from '../identities/ProfilePanel.js';
import { activeIdentity } from '../store.js';
import { ErrorBoundary } from '../ui/ErrorBoundary.js';
import { TokenPanel } from '../token/TokenPanel.js';

/** The selected environment: identities and copy on the left; who, permissions and the token on the right (stacked when narrow). */
export function EnvironmentView({ env }: { env: Env }) {
  const who = activeIdentity(env);
  const signedIn = who && who.status !== 'signed_out' && who.status !== 'ended';
  return (
    <main className="env-view" aria-label={`Environment ${env.name}`}>
      <EnvironmentHeader env={env} />
      <ErrorBoundary area="environment view" key={env.id}>
        <div className={signedIn ? 'env-grid' : 'env-grid single'}>
          <div className="col">
            <IdentityList env={env} />
            <CopyPanel env={env} identity={signedIn ? who : undefined} />
          </div>
          {who && signedIn ? (
            <div className="col">
              <ProfilePanel identity={who} />
              {who.profile && (who.profile.permissions.length > 0 || who.profile.permissionsFromRoles.length > 0 || env.capabilities.hasPermissions) ? <PermissionList key={who.id} profile={who.profile} /> : null}
              <TokenPanel identity={who} />
            </div>
          ) : null}
        </div>
      </ErrorBoundary>
    </main>
  );
}
