/**
 * `netmigrate config`: the operator's own settings (state/settings.ts), read and changed the
 * way `git config` does it — `list`, `get <key>`, `set <key> <value>`, `unset <key>` — and
 * the precedence every command applies: a flag beats the environment, which beats a setting,
 * which beats the built-in default.
 */
import {NetmigrateError} from '../errors.js';
import {isSettingKey, loadSettings, readSettings, settingKeys, type SettingsView} from '../../state/settings.js';

const usage = `netmigrate config list | get <key> | set <key> <value> | unset <key>   (keys: ${settingKeys.join(', ')})`;

export async function configCommand(args: string[], write: (text: string) => void, json: boolean): Promise<number> {
	const [verb, key, value, ...extra] = args;
	const wrongUse = (why: string) => new NetmigrateError(why, {code: 'bad-input', hint: usage});
	if (verb === 'list') return list(readSettings(), write, json);
	if (verb !== 'get' && verb !== 'set' && verb !== 'unset')
		throw wrongUse(verb ? `config ${verb} is not a config command` : 'config needs what to do');
	if (!isSettingKey(key)) throw wrongUse(`config ${verb} needs one of the keys ${settingKeys.join(', ')}${key ? `, not ${key}` : ''}`);
	if (verb === 'set' ? value === undefined || extra.length > 0 : value !== undefined)
		throw wrongUse(`config ${verb} ${key} takes ${verb === 'set' ? 'one value' : 'no value'}`);
	if (verb === 'set') await (await loadSettings()).set(key, value as string);
	else if (verb === 'unset') await (await loadSettings()).unset(key);
	else {
		// As `git config --get`: exit 1, printing nothing, when the key is not set.
		const found = readSettings().get(key);
		if (found === undefined) return 1;
		write(found);
	}
	return 0;
}

function list(settings: SettingsView, write: (text: string) => void, json: boolean): number {
	const values = Object.fromEntries(
		settingKeys.flatMap((key) => (settings.get(key) === undefined ? [] : [[key, settings.get(key) as string]])),
	);
	const stacks = settings.stacks();
	if (json) {
		write(JSON.stringify({file: settings.file, settings: values, stacks}));
		return 0;
	}
	for (const [key, value] of Object.entries(values)) write(`${key}=${value}`);
	for (const stack of stacks)
		write(`stack=${stack.root}  (plan ${stack.plan}, last run ${stack.lastRun.slice(0, 16).replace('T', ' ')})`);
	write(`# ${settings.file}`);
	return 0;
}

export type Defaults = {host?: string; probeImage?: string};

/**
 * The settings' share of a command's values, read (never through conf: see state/settings.ts)
 * only when a flag or the environment leaves one open: `--host` or DOCKER_HOST/DOCKER_CONTEXT decide the engine before a setting
 * does; `--probe-image` or NETMIGRATE_PROBE_IMAGE the probe image; NETMIGRATE_GLYPHS the glyphs,
 * which a setting fills in by setting that variable for the terminal code to read.
 */
export function settingDefaults(given: {host?: string; probeImage?: string}, environment: NodeJS.ProcessEnv = process.env): Defaults {
	const probeImage = given.probeImage ?? (environment.NETMIGRATE_PROBE_IMAGE || undefined);
	const open = {
		host: given.host === undefined && !environment.DOCKER_HOST && !environment.DOCKER_CONTEXT,
		probeImage: probeImage === undefined,
		glyphs: !environment.NETMIGRATE_GLYPHS,
	};
	if (!open.host && !open.probeImage && !open.glyphs)
		return {...(given.host ? {host: given.host} : {}), ...(probeImage ? {probeImage} : {})};
	const settings = readSettings(environment);
	const glyphs = open.glyphs ? settings.get('glyphs') : undefined;
	if (glyphs) environment.NETMIGRATE_GLYPHS = glyphs;
	const host = given.host ?? (open.host ? settings.get('host') : undefined);
	const image = probeImage ?? settings.get('probe-image');
	return {...(host ? {host} : {}), ...(image ? {probeImage: image} : {})};
}
