import type { Config, RegistrationMode } from '../../config.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { canManageInstance } from '../../access/staff-policy.ts';
import { forbidden } from '../../errors.ts';
import type { Clock } from '../../clock.ts';
import { INSTANCE_TEXT_LIMITS, type InstanceRepository } from './instance-repository.ts';

/**
 * The instance settings an admin changes in the web client (`GET/PATCH
 * /api/glimpse/v1/admin/instance`): title, description, rules, registrations mode, whether the
 * default hidden-words list is on for accounts that never chose, and the per-account flood
 * limits. Each is one `instance_settings` row; without a row the environment's value is the
 * default (config.ts), so a value set here wins and clearing it returns to the environment's.
 * Rules have no environment value: they are the `rules` text the command line also sets.
 */
export const REGISTRATION_MODES = ['open', 'approval', 'closed'] as const satisfies readonly RegistrationMode[];

/** The limits an admin may set here: comments and story responses per account per minute. */
export const SETTABLE_LIMITS = ['comments', 'story_responses'] as const;
export type SettableLimit = (typeof SETTABLE_LIMITS)[number];

export const INSTANCE_SETTING_LIMITS = {
  title: 100,
  description: 2000,
  /** The command line's bounds for the rules text (one rule a line). */
  rules: INSTANCE_TEXT_LIMITS.rules,
  rule: INSTANCE_TEXT_LIMITS.rule,
  /** Uses per account per minute; 0 turns the limit off. */
  perMinute: 10_000,
} as const;

/** The `instance_settings` keys of these settings. */
const KEY = {
  title: 'title',
  description: 'description',
  rules: 'rules',
  registrations: 'registrations',
  defaultHiddenWords: 'default_hidden_words',
  comments: 'rate_limit.comments',
  story_responses: 'rate_limit.story_responses',
} as const;
const KEYS = Object.values(KEY);

export interface InstanceSettingsValues {
  title: string;
  description: string;
  rules: string[];
  registrations: RegistrationMode;
  default_hidden_words: boolean;
  limits: Record<SettableLimit, number>;
}

/** One setting as the admin page shows it: the value in force, the environment's, and which it is. */
export interface SettingView<T> {
  value: T;
  default: T;
  source: 'database' | 'environment';
}

export interface InstanceSettingsView {
  title: SettingView<string>;
  description: SettingView<string>;
  rules: SettingView<string[]>;
  registrations: SettingView<RegistrationMode>;
  default_hidden_words: SettingView<boolean>;
  limits: Record<SettableLimit, SettingView<number>>;
  /** GLIMPSE_RATE_LIMITS=off turns every limit off, whatever is set here. */
  rate_limits_enabled: boolean;
}

/** A change: a field left out stays, `null` clears it (back to the environment's value). */
export interface InstanceSettingsPatch {
  title?: string | null;
  description?: string | null;
  rules?: string[] | null;
  registrations?: RegistrationMode | null;
  default_hidden_words?: boolean | null;
  limits?: Partial<Record<SettableLimit, number | null>>;
}

type Stored = Map<string, string>;

/** The rules text (one rule a line) as a list, blank lines dropped. */
function rulesFrom(text: string | undefined): string[] {
  return (text ?? '').split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
}

export class InstanceSettings {
  /** This process's copy, for the hot paths (every comment); dropped on every change, here and, through pub/sub, everywhere. */
  private cachedValues: Promise<InstanceSettingsValues> | undefined;
  /** Set by services.ts: tells every process to drop its copy. */
  onChanged: (() => void) | undefined;

  constructor(
    private readonly repository: InstanceRepository,
    private readonly config: Pick<Config, 'instanceTitle' | 'instanceDescription' | 'registrations' | 'hiddenWordsDefaultList' | 'rateLimits' | 'rateLimitsEnabled'>,
    private readonly clock: Clock,
  ) {}

  /** The environment's values: what each setting is without a row. */
  defaults(): InstanceSettingsValues {
    return {
      title: this.config.instanceTitle,
      description: this.config.instanceDescription,
      rules: [],
      registrations: this.config.registrations,
      default_hidden_words: this.config.hiddenWordsDefaultList,
      limits: { comments: this.config.rateLimits.comments, story_responses: this.config.rateLimits.storyResponses },
    };
  }

  /**
   * The settings in force, read now: one query of a few primary keys. The instance endpoints
   * and sign-up read them so, so a change is seen at once by every process.
   */
  async current(): Promise<InstanceSettingsValues> {
    return this.valuesOf(await this.stored());
  }

  /** The settings in force from this process's copy (read again after any change). For per-comment checks. */
  cached(): Promise<InstanceSettingsValues> {
    this.cachedValues ??= this.current().catch((error: unknown) => {
      this.cachedValues = undefined;
      throw error;
    });
    return this.cachedValues;
  }

  dropCache(): void {
    this.cachedValues = undefined;
  }

  /** Throws 403 unless the viewer may change the settings (admins). */
  authorize(viewer: Viewer | undefined): void {
    if (!canManageInstance(viewer)) throw forbidden();
  }

  async view(viewer: Viewer | undefined): Promise<InstanceSettingsView> {
    this.authorize(viewer);
    return this.viewOf(await this.stored());
  }

  /** Applies a change (already bounded and checked by the route's schema); answers the new view. */
  async update(viewer: Viewer | undefined, patch: InstanceSettingsPatch): Promise<InstanceSettingsView> {
    this.authorize(viewer);
    const now = this.clock.now().toISOString();
    const changes: Array<[string, string | null]> = [];
    if (patch.title !== undefined) changes.push([KEY.title, patch.title]);
    if (patch.description !== undefined) changes.push([KEY.description, patch.description]);
    if (patch.rules !== undefined) changes.push([KEY.rules, patch.rules && patch.rules.length > 0 ? patch.rules.map((r) => r.trim()).join('\n') : null]);
    if (patch.registrations !== undefined) changes.push([KEY.registrations, patch.registrations]);
    if (patch.default_hidden_words !== undefined) changes.push([KEY.defaultHiddenWords, patch.default_hidden_words === null ? null : patch.default_hidden_words ? 'on' : 'off']);
    for (const name of SETTABLE_LIMITS) {
      const value = patch.limits?.[name];
      if (value !== undefined) changes.push([KEY[name], value === null ? null : String(value)]);
    }
    await this.repository.setValues(changes, now);
    this.dropCache();
    this.onChanged?.();
    return this.viewOf(await this.stored());
  }

  private stored(): Promise<Stored> {
    return this.repository.values(KEYS);
  }

  /** A stored value that no longer parses (edited by hand) counts as unset. */
  private valuesOf(stored: Stored): InstanceSettingsValues {
    const defaults = this.defaults();
    const title = stored.get(KEY.title);
    const registrations = stored.get(KEY.registrations) as RegistrationMode | undefined;
    const hidden = stored.get(KEY.defaultHiddenWords);
    const limit = (name: SettableLimit) => {
      const raw = stored.get(KEY[name]);
      const n = raw === undefined ? NaN : Number(raw);
      return Number.isInteger(n) && n >= 0 && n <= INSTANCE_SETTING_LIMITS.perMinute ? n : defaults.limits[name];
    };
    return {
      title: title?.trim() ? title : defaults.title,
      description: stored.get(KEY.description) ?? defaults.description,
      rules: rulesFrom(stored.get(KEY.rules)).slice(0, INSTANCE_SETTING_LIMITS.rules),
      registrations: registrations && REGISTRATION_MODES.includes(registrations) ? registrations : defaults.registrations,
      default_hidden_words: hidden === 'on' ? true : hidden === 'off' ? false : defaults.default_hidden_words,
      limits: { comments: limit('comments'), story_responses: limit('story_responses') },
    };
  }

  private viewOf(stored: Stored): InstanceSettingsView {
    const values = this.valuesOf(stored);
    const defaults = this.defaults();
    const of = <T>(key: string, value: T, fallback: T): SettingView<T> => ({ value, default: fallback, source: stored.has(key) ? 'database' : 'environment' });
    return {
      title: of(KEY.title, values.title, defaults.title),
      description: of(KEY.description, values.description, defaults.description),
      rules: of(KEY.rules, values.rules, defaults.rules),
      registrations: of(KEY.registrations, values.registrations, defaults.registrations),
      default_hidden_words: of(KEY.defaultHiddenWords, values.default_hidden_words, defaults.default_hidden_words),
      limits: {
        comments: of(KEY.comments, values.limits.comments, defaults.limits.comments),
        story_responses: of(KEY.story_responses, values.limits.story_responses, defaults.limits.story_responses),
      },
      rate_limits_enabled: this.config.rateLimitsEnabled,
    };
  }
}
