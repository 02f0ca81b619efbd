import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';
import { countStatements } from '../support/query-count.ts';

/**
 * What one home-feed page costs in statements, counted on the database handle (inside
 * transactions too, background work left out). A warm page is: the token, the feed's sources,
 * one skeleton for the pushed rows and every pulled author, the status rows with their counters,
 * the accounts, and the viewer's relations with its marks. Statuses' content (photos, photo
 * tags, mentions, hashtags) and the viewer's filter rules come from memory, under versions those
 * rows carry.
 */
const WARM_PAGE = 6;
/** A cold page also reads the content (media with their tags; mentions with hashtags) and the filter rules. */
const COLD_PAGE = WARM_PAGE + 3;

describe('a home-feed page costs a fixed number of statements, whatever the number of followed celebrities', () => {
  let world: World;
  const page = () => world.get('sam', '/api/v1/timelines/home?limit=10');
  const clearCaches = () => {
    world.app.services.caches.postContent.clear();
    world.app.services.caches.filterRules.clear();
    world.app.services.caches.viewerRelations.clear();
  };

  before(async () => {
    // Above two followers an account is a celebrity, pulled at read time instead of pushed.
    world = await createWorld({ config: { fanoutThreshold: 2 } });
    for (const celebrity of ['mara', 'ines'] as const) {
      for (const fan of ['pat', 'rex', 'remi', 'bo'] as const) await world.post(fan, `/api/v1/accounts/${world.actors[celebrity].id}/follow`);
    }
    for (const who of ['mara', 'pat', 'rex'] as const) assert.equal((await world.post('sam', `/api/v1/accounts/${world.actors[who].id}/follow`)).status, 200);
    // More pushed posts than a page over-fetches (twice its limit), so the kept rows fill it.
    for (let i = 0; i < 11; i++) {
      for (const who of ['pat', 'rex'] as const) await postPhotos(world, who, `party ${i} with @mara #birthday`, { photos: 1 + (i % 2) });
    }
    for (let i = 0; i < 3; i++) for (const who of ['mara', 'ines'] as const) await postPhotos(world, who, `on stage ${i} #tour`);
    await world.post('sam', '/api/v2/filters', { title: 'spoilers', context: ['home'], filter_action: 'warn', keywords_attributes: [{ keyword: 'finale' }] });
    await world.app.services.jobs.onIdle();
  });
  after(() => world.close());

  test(`a warm page costs ${WARM_PAGE} statements with one followed celebrity, and ${COLD_PAGE} cold`, async () => {
    clearCaches();
    const cold = await countStatements(world.app.services.database, page);
    assert.equal(cold.result.status, 200);
    assert.equal(cold.result.body.length, 10);
    assert.ok(cold.result.body.some((s: any) => s.account.id === world.actors.mara.id), 'the celebrity is on the page');
    assert.equal(cold.statements, COLD_PAGE, cold.sql.join('\n'));
    const warm = await countStatements(world.app.services.database, page);
    assert.equal(warm.statements, WARM_PAGE, warm.sql.join('\n'));
    assert.deepEqual(warm.result.body, cold.result.body, 'the warm page answers what the cold one did');
  });

  test(`a warm page still costs ${WARM_PAGE} statements with two followed celebrities`, async () => {
    assert.equal((await world.post('sam', `/api/v1/accounts/${world.actors.ines.id}/follow`)).status, 200);
    await world.app.services.jobs.onIdle();
    await page();
    const warm = await countStatements(world.app.services.database, page);
    assert.equal(warm.result.status, 200);
    assert.ok(warm.result.body.some((s: any) => s.account.id === world.actors.ines.id), 'the second celebrity is on the page');
    assert.equal(warm.statements, WARM_PAGE, warm.sql.join('\n'));
    clearCaches();
    assert.deepEqual((await page()).body, warm.result.body, 'what memory held is what the database holds');
  });

  test(`a page the kept rows cannot fill reads the followed authors' older posts within the same ${WARM_PAGE} statements`, async () => {
    // bo follows two celebrities and rex, whose 11 pushed posts cannot fill a page over-fetching 20.
    assert.equal((await world.post('bo', `/api/v1/accounts/${world.actors.rex.id}/follow`)).status, 200);
    await world.app.services.jobs.onIdle();
    const bosPage = () => world.get('bo', '/api/v1/timelines/home?limit=10');
    await bosPage();
    const warm = await countStatements(world.app.services.database, bosPage);
    assert.equal(warm.result.status, 200);
    assert.equal(warm.result.body.length, 10);
    assert.equal(warm.statements, WARM_PAGE, warm.sql.join('\n'));
    // The older page reaches below what home_feed keeps for bo: the same count, and rex's oldest posts are on it.
    const last = warm.result.body[warm.result.body.length - 1].id;
    const olderPage = () => world.get('bo', `/api/v1/timelines/home?limit=10&max_id=${last}`);
    await olderPage();
    const older = await countStatements(world.app.services.database, olderPage);
    assert.equal(older.result.status, 200);
    assert.equal(older.statements, WARM_PAGE, older.sql.join('\n'));
    const seen = [...warm.result.body, ...older.result.body].filter((s: any) => s.account.id === world.actors.rex.id).map((s: any) => s.content);
    assert.equal(new Set(seen).size, 11, "all of rex's posts are on bo's first two pages");
  });
});
