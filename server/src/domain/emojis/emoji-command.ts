import { CACHE_CHANNEL } from '../../infra/pubsub/pub-sub.ts';
import { publishOnce } from '../../infra/pubsub/redis-pub-sub.ts';
import fs from 'node:fs';
import type { Config } from '../../config.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { systemClock } from '../../clock.ts';
import { AppError } from '../../errors.ts';
import { mediaStorageFor } from '../../infra/storage/s3-storage.ts';
import { CustomEmojiRepository } from './emoji-repository.ts';
import { CustomEmojiService, emojiPath } from './emoji-service.ts';

/**
 * `admin emoji add <shortcode> <image-file> [--category NAME]`, `emoji remove <shortcode>` and
 * `emoji list`. Exit codes: 0 done, 1 refused (the message says why: a malformed or taken
 * shortcode, an image the media pipeline refuses, no such emoji), 2 usage.
 */
export async function runEmojiCommand(db: DatabaseHandle, config: Config, args: string[], help: string): Promise<number> {
  const [action, ...rest] = args;
  const service = new CustomEmojiService(new CustomEmojiRepository(db.kysely), mediaStorageFor(config.storage, config.dataDir), systemClock);
  // With Redis, the running processes drop their cached set at once (without it, within a minute).
  let told: Promise<void> | undefined;
  service.onChanged = () => {
    if (config.redisUrl) told = publishOnce(config.redisUrl, config.redisPrefix, CACHE_CHANNEL, { kind: 'cache.changed', cache: 'custom-emojis' }).catch((err: Error) => console.error(`the running processes were not told: ${err.message}`));
  };
  const usage = () => {
    console.error(help);
    return 2;
  };
  try {
    if (action === 'list' && rest.length === 0) {
      for (const e of await service.list()) console.log(`${e.shortcode}\t${e.category ?? ''}\t${emojiPath(e)}`);
      return 0;
    }
    if (action === 'remove' && rest.length === 1) {
      const removed = await service.remove(rest[0]);
      console.log(`emoji remove: :${removed.shortcode}: done`);
      await told;
      return 0;
    }
    if (action === 'add') {
      const positional: string[] = [];
      let category: string | undefined;
      for (let i = 0; i < rest.length; i++) {
        if (rest[i] === '--category') {
          if (i + 1 >= rest.length) return usage();
          category = rest[++i];
        } else positional.push(rest[i]);
      }
      if (positional.length !== 2) return usage();
      const [shortcode, file] = positional;
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
        console.error(`no such file: ${file}`);
        return 1;
      }
      const added = await service.add(shortcode, file, { category });
      console.log(`emoji add: :${added.shortcode}: ${added.width}x${added.height} ${emojiPath(added)}`);
      await told;
      return 0;
    }
    return usage();
  } catch (error) {
    if (error instanceof AppError) {
      console.error(error.status === 404 ? `no such emoji: ${rest[0] ?? ''}` : error.message);
      return 1;
    }
    throw error;
  }
}
