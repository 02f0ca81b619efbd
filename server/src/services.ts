import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/database.ts';
import { AccountRepository } from './domain/accounts/account-repository.ts';
import { AccountService } from './domain/accounts/account-service.ts';
import { AuthService } from './domain/auth/auth-service.ts';
import { TokenRepository } from './domain/auth/token-repository.ts';
import { FollowService } from './domain/follows/follow-service.ts';
import { RelationshipRepository } from './domain/follows/relationship-repository.ts';
import { NotificationRepository } from './domain/notifications/notification-repository.ts';
import { NotificationService } from './domain/notifications/notification-service.ts';

/** The use cases, wired to their repositories. Built once by app.ts; routes receive it. */
export interface Services {
  config: Config;
  clock: Clock;
  database: DatabaseHandle;
  repositories: {
    accounts: AccountRepository;
    relationships: RelationshipRepository;
    notifications: NotificationRepository;
    tokens: TokenRepository;
  };
  accounts: AccountService;
  auth: AuthService;
  follows: FollowService;
  notifications: NotificationService;
}

export function buildServices(config: Config, database: DatabaseHandle, clock: Clock): Services {
  const db = database.kysely;
  const repositories = {
    accounts: new AccountRepository(db),
    relationships: new RelationshipRepository(db),
    notifications: new NotificationRepository(db),
    tokens: new TokenRepository(db),
  };
  const notifications = new NotificationService(repositories.notifications, repositories.relationships, clock);
  return {
    config,
    clock,
    database,
    repositories,
    accounts: new AccountService(db, repositories.accounts, repositories.relationships, config, clock),
    auth: new AuthService(repositories.tokens, repositories.accounts, clock),
    follows: new FollowService(db, repositories.accounts, repositories.relationships, notifications, clock),
    notifications,
  };
}
