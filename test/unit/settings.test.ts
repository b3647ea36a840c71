/**
 * The operator's settings (state/settings.ts, `netmigrate config`): what is set is read back by
 * every later command, a flag beats the environment beats a setting beats the default, bad
 * values and a damaged file are errors that say what to do, and processes writing at once lose
 * no change (conf alone would: it is not safe across processes).
 */
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {configCommand, settingDefaults} from '../../source/commands/config.js';
import {NetmigrateError} from '../../source/errors.js';
import {loadSettings, readSettings, settingsFolder} from '../../state/settings.js';

const folders: string[] = [];
after(() => folders.forEach((folder) => rmSync(folder, {recursive: true, force: true})));
function settingsHome(): NodeJS.ProcessEnv {
	const folder = mkdtempSync(path.join(tmpdir(), 'nm-settings-'));
	folders.push(folder);
	return {NETMIGRATE_CONFIG_DIR: path.join(folder, 'netmigrate')};
}

test('a setting is written 0600 where the folder says, and read back by a fresh reader; unset removes it', async () => {
	const environment = settingsHome();
	const settings = await loadSettings(environment);
	await settings.set('host', 'ssh://ops@media-host');
	await settings.set('probe-image', 'busybox:1.36');
	const file = path.join(environment.NETMIGRATE_CONFIG_DIR as string, 'settings.json');
	assert.equal(settings.file, file);
	assert.equal(statSync(file).mode & 0o777, 0o600);
	assert.equal(readSettings(environment).get('host'), 'ssh://ops@media-host');
	await settings.unset('host');
	assert.equal(readSettings(environment).get('host'), undefined);
	assert.equal(readSettings(environment).get('probe-image'), 'busybox:1.36');
});

test('the folder is $NETMIGRATE_CONFIG_DIR, else netmigrate/ under $XDG_CONFIG_HOME, else ~/.config', () => {
	assert.equal(settingsFolder({NETMIGRATE_CONFIG_DIR: '/etc/nm', XDG_CONFIG_HOME: '/x'}), '/etc/nm');
	assert.equal(settingsFolder({XDG_CONFIG_HOME: '/home/ops/.cfg'}), '/home/ops/.cfg/netmigrate');
	assert.match(settingsFolder({}), /\/\.config\/netmigrate$/);
});

test('values a setting cannot hold are refused with what it takes, and nothing is written', async () => {
	const environment = settingsHome();
	const settings = await loadSettings(environment);
	for (const [key, value, hint] of [
		['glyphs', 'fancy', /ascii or unicode/],
		['host', 'media-host:2375', /unix:\/\/\/path\/docker\.sock, tcp:\/\/host:2376 or ssh:\/\/user@host/],
		['probe-image', 'busy box', /image reference/],
	] as const) {
		await assert.rejects(
			settings.set(key, value),
			(error: NetmigrateError) => error.code === 'bad-input' && hint.test(error.hint ?? ''),
		);
	}
	assert.deepEqual(readSettings(environment).get('glyphs'), undefined);
});

test('a damaged settings file is an error naming it, with the way out', () => {
	const environment = settingsHome();
	const folder = environment.NETMIGRATE_CONFIG_DIR as string;
	mkdirSync(folder, {recursive: true});
	writeFileSync(path.join(folder, 'settings.json'), '{"host": "unix:///var/run/docker.sock",');
	assert.throws(
		() => readSettings(environment),
		(error: NetmigrateError) => error.where?.file === path.join(folder, 'settings.json') && /remove it/.test(error.hint ?? ''),
	);
});

test('flag > environment > setting > default, and the settings are not read when nothing is left open', async () => {
	const environment = settingsHome();
	const settings = await loadSettings(environment);
	await settings.set('host', 'tcp://10.0.0.5:2376');
	await settings.set('probe-image', 'registry.local/probe:2');
	await settings.set('glyphs', 'ascii');
	assert.deepEqual(settingDefaults({}, {...environment}), {host: 'tcp://10.0.0.5:2376', probeImage: 'registry.local/probe:2'});
	assert.deepEqual(
		settingDefaults({}, {...environment, DOCKER_HOST: 'unix:///run/user/1000/docker.sock', NETMIGRATE_PROBE_IMAGE: 'busybox:1.37'}),
		{probeImage: 'busybox:1.37'},
	);
	assert.deepEqual(
		settingDefaults({}, {...environment, DOCKER_CONTEXT: 'rootless'}),
		{probeImage: 'registry.local/probe:2'},
		'a docker context chosen in the environment beats the setting',
	);
	assert.deepEqual(
		settingDefaults({host: 'unix:///flag.sock', probeImage: 'flag:1'}, {...environment, DOCKER_HOST: 'unix:///env.sock'}),
		{host: 'unix:///flag.sock', probeImage: 'flag:1'},
	);
	const glyphs = {...environment};
	settingDefaults({}, glyphs);
	assert.equal(glyphs.NETMIGRATE_GLYPHS, 'ascii', 'the glyphs setting reaches the terminal code through its variable');
	const chosen = {...environment, NETMIGRATE_GLYPHS: 'unicode'};
	settingDefaults({}, chosen);
	assert.equal(chosen.NETMIGRATE_GLYPHS, 'unicode', 'the environment beats the setting');
	writeFileSync(settings.file, 'not json');
	assert.deepEqual(
		settingDefaults({host: 'unix:///a.sock', probeImage: 'b'}, {...environment, NETMIGRATE_GLYPHS: 'ascii'}),
		{host: 'unix:///a.sock', probeImage: 'b'},
		'all given: the (damaged) file is never read',
	);
	assert.throws(() => settingDefaults({}, {...environment}), /settings file cannot be read/);
});

test('recording a stack puts it first, once, and keeps the 20 newest', async () => {
	const environment = settingsHome();
	const settings = await loadSettings(environment);
	for (let index = 1; index <= 22; index++)
		assert.ok(
			await settings.recordStack(
				{root: `/srv/stack-${index}`, plan: `/srv/stack-${index}/netmigrate.yml`},
				new Date(Date.UTC(2026, 11, 1, index)),
			),
		);
	assert.ok(
		await settings.recordStack(
			{root: '/srv/stack-5', plan: '/srv/stack-5/netmigrate.yml', project: 'media'},
			new Date(Date.UTC(2026, 11, 2)),
		),
	);
	const stacks = readSettings(environment).stacks();
	assert.equal(stacks.length, 20);
	assert.deepEqual(stacks.slice(0, 3), [
		{root: '/srv/stack-5', plan: '/srv/stack-5/netmigrate.yml', project: 'media', lastRun: '2026-12-02T00:00:00.000Z'},
		{root: '/srv/stack-22', plan: '/srv/stack-22/netmigrate.yml', lastRun: '2026-12-01T22:00:00.000Z'},
		{root: '/srv/stack-21', plan: '/srv/stack-21/netmigrate.yml', lastRun: '2026-12-01T21:00:00.000Z'},
	]);
	assert.ok(!stacks.some((stack) => stack.root === '/srv/stack-1' || stack.root === '/srv/stack-2'), 'the oldest fell off');
	assert.equal(stacks.filter((stack) => stack.root === '/srv/stack-5').length, 1);
});

test('a lock left by a dead process is taken over', async () => {
	const environment = settingsHome();
	const settings = await loadSettings(environment);
	await settings.set('glyphs', 'unicode');
	const dead = await execa(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
	writeFileSync(`${settings.file}.lock`, dead.stdout);
	await settings.set('glyphs', 'ascii');
	assert.equal(readSettings(environment).get('glyphs'), 'ascii');
});

const writer = fileURLToPath(new URL('../harness/settings-writer.ts', import.meta.url));

test('four processes recording stacks at once lose none of the recordings that reported success', async () => {
	const environment = settingsHome();
	const children = ['a', 'b', 'c', 'd'].map((name) =>
		spawn(process.execPath, ['--import', 'tsx', writer, name, '5'], {
			env: {...process.env, ...environment},
			stdio: ['pipe', 'pipe', 'inherit'],
		}),
	);
	const outputs = children.map((child) => {
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += String(chunk)));
		const ready = new Promise<void>((resolve) => child.stdout.on('data', () => output.startsWith('ready\n') && resolve()));
		const done = new Promise<string[]>((resolve, reject) =>
			child.on('exit', (code) =>
				code === 0 ? resolve(JSON.parse(output.slice('ready\n'.length)) as string[]) : reject(new Error(`a writer exited ${code}`)),
			),
		);
		return {ready, done};
	});
	await Promise.all(outputs.map((output) => output.ready));
	for (const child of children) child.stdin.end('go\n');
	const runs = outputs.map((output) => output.done);
	const reported = (await Promise.all(runs)).flat();
	const kept = new Set(
		readSettings(environment)
			.stacks()
			.map((stack) => stack.root),
	);
	assert.ok(reported.length >= 10, `only ${reported.length} of 20 recordings got the lock`);
	assert.deepEqual(
		reported.filter((root) => !kept.has(root)),
		[],
		'every recording that reported success is in the file',
	);
});

test('`netmigrate config`: set, get, list, unset as git config does them; a wrong use says how to use it', async () => {
	const environment = settingsHome();
	Object.assign(process.env, environment);
	const lines: string[] = [];
	const write = (line: string) => lines.push(line);
	assert.equal(await configCommand(['set', 'host', 'ssh://ops@media-host'], write, false), 0);
	assert.equal(await configCommand(['get', 'host'], write, false), 0);
	assert.equal(await configCommand(['get', 'glyphs'], write, false), 1, 'an unset key: exit 1, nothing printed');
	await (
		await loadSettings(environment)
	).recordStack({root: '/srv/media', plan: '/srv/media/netmigrate.yml'}, new Date('2026-12-07T12:00:00Z'));
	assert.equal(await configCommand(['list'], write, false), 0);
	assert.deepEqual(lines, [
		'ssh://ops@media-host',
		'host=ssh://ops@media-host',
		'stack=/srv/media  (plan /srv/media/netmigrate.yml, last run 2026-12-07 12:00)',
		`# ${path.join(environment.NETMIGRATE_CONFIG_DIR as string, 'settings.json')}`,
	]);
	assert.equal(await configCommand(['unset', 'host'], write, false), 0);
	assert.equal(await configCommand(['get', 'host'], write, false), 1);
	for (const wrong of [
		[],
		['frobnicate'],
		['get'],
		['get', 'colour'],
		['set', 'host'],
		['set', 'host', 'a', 'b'],
		['unset', 'host', 'x'],
	]) {
		await assert.rejects(
			configCommand(wrong, write, false),
			(error: NetmigrateError) => error.code === 'bad-input' && /netmigrate config list \| get <key>/.test(error.hint ?? ''),
			wrong.join(' '),
		);
	}
});
