import type { ApiClient } from '../api/api-client.ts';

/** The admin's instance settings (server: domain/instance/instance-settings.ts). */
export const INSTANCE_SETTINGS_PATH = '/api/glimpse/v1/admin/instance';

/** The server's bounds (INSTANCE_SETTING_LIMITS). */
export const INSTANCE_LIMITS = { title: 100, description: 2000, rules: 100, rule: 1000, perMinute: 10_000 } as const;

export type RegistrationsMode = 'open' | 'approval' | 'closed';
export type SettableLimit = 'comments' | 'story_responses';

/** One setting: the value in force, the environment's default, and which of the two it is. */
export interface SettingView<T> {
  value: T;
  default: T;
  source: 'database' | 'environment';
}

export interface InstanceSettings {
  title: SettingView<string>;
  description: SettingView<string>;
  rules: SettingView<string[]>;
  registrations: SettingView<RegistrationsMode>;
  default_hidden_words: SettingView<boolean>;
  limits: Record<SettableLimit, SettingView<number>>;
  rate_limits_enabled: boolean;
}

/** A change: a field left out stays as it is, null returns it to the environment's default. */
export interface InstanceSettingsChange {
  title?: string | null;
  description?: string | null;
  rules?: string[] | null;
  registrations?: RegistrationsMode | null;
  default_hidden_words?: boolean | null;
  limits?: Partial<Record<SettableLimit, number | null>>;
}

export function fetchInstanceSettings(api: ApiClient, signal?: AbortSignal): Promise<InstanceSettings> {
  return api.get(INSTANCE_SETTINGS_PATH, undefined, signal);
}

export function saveInstanceSettings(api: ApiClient, change: InstanceSettingsChange): Promise<InstanceSettings> {
  return api.patch(INSTANCE_SETTINGS_PATH, change);
}
