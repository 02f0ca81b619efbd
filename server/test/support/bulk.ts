import { newId } from '../../src/db/ids.ts';
import type { Actor, World } from './world.ts';

/**
 * Many plain accounts at once for storm tests, written through the account repository with a
 * placeholder password hash (these accounts never log in; hashing thousands with Argon2 would
 * only slow the test). Each gets a full-scope token through the real token service.
 */
export async function bulkActors(world: World, count: number, prefix: string): Promise<Actor[]> {
  const repo = world.app.services.repositories.accounts;
  const now = world.clock.now().toISOString();
  const actors: Actor[] = [];
  for (let i = 0; i < count; i++) {
    const id = newId();
    const username = `${prefix}${i}`;
    await repo.insert(
      { id, username, username_lower: username.toLowerCase(), display_name: '', note: '', locked: 0, discoverable: 1, avatar_media_id: null, header_media_id: null, avatar_path: null, header_path: null, followers_count: 0, following_count: 0, statuses_count: 0, created_at: now, updated_at: now },
      { account_id: id, email: `${username}@bulk.test`, email_lower: `${username}@bulk.test`, password_hash: 'x', role: 'user', approved: 1, disabled: 0, registration_reason: '', created_at: now, password_changed_at: now },
    );
    const issued = await world.app.services.auth.issue({ appId: null, accountId: id, scopes: ['read', 'write', 'follow'], withRefresh: false });
    actors.push({ id, username, token: issued.access_token });
  }
  return actors;
}
