/**
 * The operator's own settings, per user, kept by `conf` in ~/.config/netmigrate/settings.json
 * ($XDG_CONFIG_HOME, or $NETMIGRATE_CONFIG_DIR for the folder): defaults for `--host`,
 * `--probe-image` and the glyphs, and the stacks on this host netmigrate has run in, which the
 * wizard offers when started outside a stack folder. A flag beats the environment, which beats
 * a setting, which beats the default.
 *
 * conf writes; it is loaded on first use (a dynamic import) and only to change something: it
 * costs 100-180 ms to load here (ajv and friends, 390 kB), more than the wizard can spare before
 * its first frame. Reading — every command, for its defaults — is `readSettings`: one JSON.parse
 * of the file conf keeps, at the folder both are given. conf writes atomically (temp file, fsync,
 * rename), so a reader never sees half a file; but two processes that read, change and write at
 * once lose one change (DESIGN.md: 4 writers × 200 increments ended at 311). Every change is
 * therefore a read-modify-write under a lock file beside the settings (O_EXCL; taken over when
 * its holder is dead); recording a stack gives up quietly if the lock stays busy — a run never
 * waits on its bookmark. The journal and per-stack progress keep their own fsync'd files.
 */
import {closeSync, openSync, readFileSync, rmSync, writeSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import type Conf from 'conf';
import {NetmigrateError} from '../source/errors.js';

export const settingKeys = ['host', 'probe-image', 'glyphs'] as const;
export type SettingKey = (typeof settingKeys)[number];

/** A stack netmigrate has run in: where its plan is, and when the last run there started. */
export type RecentStack = {root: string; plan: string; project?: string; lastRun: string};

type Stored = Partial<Record<SettingKey, string>> & {stacks?: RecentStack[]};

/** How many stacks the list keeps, newest first. */
const keptStacks = 20;

/** The settings as they are on disk now, read without loading conf. */
export type SettingsView = {
	/** Where the settings live. */
	readonly file: string;
	get: (key: SettingKey) => string | undefined;
	stacks: () => RecentStack[];
};

export type Settings = SettingsView & {
	set: (key: SettingKey, value: string) => Promise<void>;
	unset: (key: SettingKey) => Promise<void>;
	recordStack: (stack: Omit<RecentStack, 'lastRun'>, at?: Date) => Promise<boolean>;
};

/** The settings folder: $NETMIGRATE_CONFIG_DIR, else netmigrate/ in $XDG_CONFIG_HOME or ~/.config. */
export function settingsFolder(environment: NodeJS.ProcessEnv = process.env): string {
	if (environment.NETMIGRATE_CONFIG_DIR) return path.resolve(environment.NETMIGRATE_CONFIG_DIR);
	return path.join(environment.XDG_CONFIG_HOME || path.join(homedir(), '.config'), 'netmigrate');
}

const configName = 'settings';

export function readSettings(environment: NodeJS.ProcessEnv = process.env): SettingsView {
	const file = path.join(settingsFolder(environment), `${configName}.json`);
	let stored: Stored = {};
	try {
		stored = parseStored(readFileSync(file, 'utf8'));
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadable(error, file);
	}
	return view(file, () => stored);
}

function parseStored(text: string): Stored {
	const parsed: unknown = JSON.parse(text);
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('it holds no JSON object');
	return parsed as Stored;
}

function view(file: string, read: () => Stored): SettingsView {
	return {
		file,
		get: (key) => {
			const value = read()[key];
			return typeof value === 'string' ? value : undefined;
		},
		stacks: () =>
			(Array.isArray(read().stacks) ? (read().stacks as RecentStack[]) : []).filter(
				(stack) => typeof stack?.root === 'string' && typeof stack.plan === 'string',
			),
	};
}

export async function loadSettings(environment: NodeJS.ProcessEnv = process.env): Promise<Settings> {
	const {default: ConfClass} = await import('conf');
	const folder = settingsFolder(environment);
	let conf: Conf<Stored>;
	try {
		conf = new ConfClass<Stored>({cwd: folder, configName, configFileMode: 0o600});
	} catch (error) {
		throw unreadable(error, path.join(folder, `${configName}.json`));
	}
	const file = conf.path;
	const read = (): Stored => {
		try {
			return conf.store;
		} catch (error) {
			throw unreadable(error, file);
		}
	};
	const change = async (edit: (stored: Stored) => Stored, waitMs: number) =>
		withLock(`${file}.lock`, waitMs, () => (conf.store = edit(read())));
	return {
		...view(file, read),
		set: async (key, value) => {
			const valid = checkedValue(key, value);
			if (!(await change((stored) => ({...stored, [key]: valid}), 5000))) throw busy(file);
		},
		unset: async (key) => {
			if (!(await change(({[key]: _gone, ...rest}) => rest, 5000))) throw busy(file);
		},
		recordStack: (stack, at = new Date()) =>
			change((stored) => {
				const others = (Array.isArray(stored.stacks) ? stored.stacks : []).filter((known) => known.root !== stack.root);
				return {...stored, stacks: [{...stack, lastRun: at.toISOString()}, ...others].slice(0, keptStacks)};
			}, 500),
	};
}

/** A value the setting can hold, or a bad-input error saying what it takes. */
export function checkedValue(key: SettingKey, value: string): string {
	const trimmed = value.trim();
	const refuse = (hint: string) => new NetmigrateError(`${key} cannot be ${JSON.stringify(value)}`, {code: 'bad-input', hint});
	if (key === 'glyphs' && trimmed !== 'ascii' && trimmed !== 'unicode') throw refuse('use ascii or unicode');
	if (key === 'host' && !/^(unix|tcp|ssh|https?):\/\/\S+$|^\/\S+$/.test(trimmed))
		throw refuse('use unix:///path/docker.sock, tcp://host:2376 or ssh://user@host, as DOCKER_HOST takes');
	if (key === 'probe-image' && !/^\S+$/.test(trimmed)) throw refuse('use an image reference the engine has, e.g. busybox:1.36');
	return trimmed;
}

export function isSettingKey(key: string | undefined): key is SettingKey {
	return (settingKeys as readonly string[]).includes(key ?? '');
}

/**
 * Runs `body` holding the lock file; false when another live process kept it `waitMs`. A lock
 * whose process is gone (killed mid-write) is taken over.
 */
async function withLock(lock: string, waitMs: number, body: () => void): Promise<boolean> {
	const deadline = Date.now() + waitMs;
	for (;;) {
		let fd: number | undefined;
		try {
			fd = openSync(lock, 'wx', 0o600);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		if (fd !== undefined) {
			try {
				writeSync(fd, String(process.pid));
				closeSync(fd);
				body();
				return true;
			} finally {
				rmSync(lock, {force: true});
			}
		}
		if (holderGone(lock)) rmSync(lock, {force: true});
		else if (Date.now() >= deadline) return false;
		else await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20));
	}
}

function holderGone(lock: string): boolean {
	try {
		const pid = Number(readFileSync(lock, 'utf8'));
		if (!Number.isInteger(pid) || pid <= 0) return false;
		process.kill(pid, 0);
		return false;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ESRCH';
	}
}

function unreadable(error: unknown, file: string): NetmigrateError {
	return new NetmigrateError(`the settings file cannot be read: ${(error as Error).message}`, {
		code: 'bad-input',
		where: {file},
		hint: 'fix it by hand (one JSON object), or remove it: netmigrate starts again from its defaults',
	});
}

function busy(file: string): NetmigrateError {
	return new NetmigrateError('another netmigrate is changing the settings', {
		code: 'locked',
		where: {file: `${file}.lock`},
		hint: 'try again; if no netmigrate is running, remove the lock file',
	});
}
