/**
 * The compose model reads files the way Docker Compose does: for each fixture (real-world
 * shaped: an override file, several -f, COMPOSE_FILE and COMPOSE_PROFILES in .env, a project
 * name from .env, include paths from $HOSTNAME, extends: file:, --env-file, container:
 * namespaces), the model's project name, active services, networks, environment and ports
 * equal `docker compose config --format json` for the same files and variables.
 */
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {loadComposeProject, namespaceDependents, namespaceOwnerOf, type LoadOptions} from '../../source/compose/project.js';
import {NetmigrateError} from '../../source/errors.js';
import {composeConfig, modelShape} from '../harness/compose-config.js';
import {repoRoot} from '../harness/engine.js';

const fixtures = path.join(repoRoot, 'test/fixtures/compose-model');

type Case = {name: string; folder: string; files: string[]; args: string[]; shell?: Record<string, string>; options?: LoadOptions};

const cases: Case[] = [
	{name: 'override file read automatically, project named by .env, extends: file:', folder: 'full-vpn_single-yaml', files: [], args: []},
	{
		name: 'profile given with --profile activates its service',
		folder: 'full-vpn_single-yaml',
		files: [],
		args: ['--profile', 'tools'],
		options: {profiles: ['tools']},
	},
	{
		name: '-p wins over COMPOSE_PROJECT_NAME in .env',
		folder: 'full-vpn_single-yaml',
		files: [],
		args: ['-p', 'other'],
		options: {projectName: 'other'},
	},
	{
		name: 'the shell wins over .env',
		folder: 'full-vpn_single-yaml',
		files: [],
		args: [],
		shell: {COMPOSE_PROJECT_NAME: 'fromshell', TIMEZONE: 'Asia/Tokyo', LOCAL_SUBNET: '10.0.0.0/8'},
	},
	{
		name: 'include path from $HOSTNAME, include env_file, --env-file, name: from a variable',
		folder: 'per-host',
		files: ['docker-compose-hs.yml'],
		args: ['-f', 'docker-compose-hs.yml', '--env-file', 'docker-compose.env'],
		shell: {HOSTNAME: 'hs'},
		options: {envFiles: ['docker-compose.env']},
	},
	{name: 'COMPOSE_FILE and COMPOSE_PROFILES from .env', folder: 'several-files', files: [], args: []},
	{
		name: 'several -f files merged in order',
		folder: 'several-files',
		files: ['compose.yaml', 'compose.vpn.yml'],
		args: ['-f', 'compose.yaml', '-f', 'compose.vpn.yml', '--profile', 'maintenance'],
		options: {profiles: ['maintenance']},
	},
	{
		name: '.env and the default name come from the folder of the first -f file',
		folder: 'file-in-subfolder',
		files: ['app/compose.yml'],
		args: ['-f', 'app/compose.yml'],
	},
];

test('the model matches docker compose config: the bundled example stack (includes, long-syntax ports, service: namespaces)', () => {
	const folder = path.join(repoRoot, 'examples/media-stack');
	const expected = composeConfig(folder, ['-f', 'docker-compose.yml']);
	assert.deepEqual(
		modelShape(loadComposeProject(folder, ['docker-compose.yml'], {environment: {}}), Object.keys(expected.networks)),
		expected,
	);
});

for (const item of cases) {
	test(`the model matches docker compose config: ${item.name}`, () => {
		const folder = path.join(fixtures, item.folder);
		const expected = composeConfig(folder, item.args, item.shell);
		const model = loadComposeProject(folder, item.files, {environment: item.shell ?? {}, ...item.options});
		assert.deepEqual(modelShape(model, Object.keys(expected.networks)), expected);
	});
}

test('with no -f, the override file joins the file list, in order, for every later compose call', () => {
	const model = loadComposeProject(path.join(fixtures, 'full-vpn_single-yaml'), [], {environment: {}});
	assert.deepEqual(model.rootFiles, ['docker-compose.yml', 'docker-compose.override.yml']);
	assert.deepEqual(
		model.composeFiles,
		model.rootFiles.map((file) => path.join(fixtures, 'full-vpn_single-yaml', file)),
	);
	assert.equal(model.projectName, 'mediastack');
	assert.equal(model.projectNameFrom, 'env-file');
});

test('each value records the file and line compose reads it from', () => {
	const root = path.join(fixtures, 'full-vpn_single-yaml');
	const model = loadComposeProject(root, [], {environment: {}});
	const gluetun = model.services.get('gluetun');
	const at = (origin: {file: string; line?: number} | undefined) => origin && `${path.relative(root, origin.file)}:${origin.line}`;
	assert.equal(at(gluetun?.origins.environment.TZ), 'docker-compose.override.yml:5', 'the override wins');
	assert.equal(
		at(gluetun?.origins.environment.PUID),
		'docker-compose.yml:3',
		'through the <<: *common-env merge key, where it is written',
	);
	assert.equal(at(gluetun?.origins.environment.FIREWALL_OUTBOUND_SUBNETS), 'docker-compose.yml:16');
	assert.deepEqual(gluetun?.origins.ports.map(at), ['docker-compose.yml:20', 'docker-compose.yml:21', 'docker-compose.override.yml:9']);
	const jellyfin = model.services.get('jellyfin');
	assert.deepEqual(Object.fromEntries(Object.entries(jellyfin?.origins.networkEntries ?? {}).map(([key, list]) => [key, list.map(at)])), {
		'media-network': ['docker-compose.yml:40'],
		monitoring: ['docker-compose.override.yml:12'],
	});
	assert.equal(
		path.relative(root, jellyfin?.file ?? ''),
		'docker-compose.override.yml',
		'a new network lands in the last file that writes networks',
	);
	const sonarr = model.services.get('sonarr');
	assert.equal(sonarr?.origins.networkEntries['media-network']?.[0]?.via, 'extends');
	assert.equal(path.relative(root, sonarr?.file ?? ''), 'docker-compose.yml', 'never the shared base file');
	assert.match(sonarr?.notEditable?.reason ?? '', /come from arr \(extends: in .*shared\/arr\.yml\)/);
});

test('container: names a container of this project or of another one', () => {
	const own = loadComposeProject(path.join(fixtures, 'full-vpn_single-yaml'), [], {environment: {}});
	assert.equal(own.services.get('qbittorrent')?.namespaceOf, 'gluetun');
	assert.deepEqual(namespaceDependents(own, 'gluetun'), ['qbittorrent']);
	assert.deepEqual(namespaceOwnerOf(own, 'qbittorrent'), {service: 'gluetun'});
	const other = loadComposeProject(path.join(fixtures, 'several-files'), [], {environment: {}});
	assert.equal(other.services.get('torrent')?.namespaceOutside, true);
	assert.deepEqual(namespaceOwnerOf(other, 'torrent'), {container: 'shared-vpn'});
});

test('services of inactive profiles are kept but marked inactive', () => {
	const model = loadComposeProject(path.join(fixtures, 'several-files'), [], {environment: {}});
	assert.deepEqual(
		[...model.services.values()].map((service) => `${service.name}:${service.active}`),
		['app:true', 'grafana:true', 'backup:false', 'torrent:true'],
	);
	assert.deepEqual(model.profiles, ['monitoring']);
});

test('every missing required variable is reported at once, each with its file and line', () => {
	const folder = path.join(fixtures, 'required-missing');
	let caught: unknown;
	try {
		loadComposeProject(folder, [], {environment: {}});
	} catch (error) {
		caught = error;
	}
	assert.ok(caught instanceof NetmigrateError);
	assert.equal(caught.code, 'bad-input');
	assert.deepEqual(
		caught.problems.map((problem) => `${path.relative(folder, problem.where?.file ?? '')}:${problem.where?.line} ${problem.message}`),
		[
			'docker-compose.yml:3 required variable APPS_DIR is missing a value: set APPS_DIR',
			'docker-compose.yml:8 required variable WG_KEY is missing a value: set WG_KEY in .env',
			'docker-compose.yml:9 required variable COUNTRY is missing',
			'docker-compose.yml:13 required variable WEB_PORT is missing a value',
		],
	);
});

test('an include path naming an unset variable says how compose gets it', () => {
	assert.throws(
		() =>
			loadComposeProject(path.join(fixtures, 'per-host'), ['docker-compose-hs.yml'], {
				environment: {},
				envFiles: ['docker-compose.env'],
			}),
		(error: unknown) => {
			assert.ok(error instanceof NetmigrateError);
			assert.match(error.message, /include path compose\/\$\{HOSTNAME\}\/apps.yml names HOSTNAME, which is not set/);
			assert.match(error.hint ?? '', /export it/);
			return true;
		},
	);
});

test('a required variable missing in an extends: file: base is bad input at its line too', () => {
	const folder = mkdtempSync(path.join(tmpdir(), 'netmigrate-extends-'));
	try {
		writeFileSync(path.join(folder, 'compose.yaml'), 'services:\n  sonarr:\n    extends: {file: base.yml, service: arr}\n');
		writeFileSync(
			path.join(folder, 'base.yml'),
			'services:\n  arr:\n    image: arr\n    environment:\n      - "API_KEY=${NM_TEST_API_KEY:?set it}"\n',
		);
		assert.throws(
			() => loadComposeProject(folder, [], {environment: {}}),
			(error: unknown) => {
				assert.ok(error instanceof NetmigrateError);
				assert.equal(error.code, 'bad-input');
				assert.deepEqual(
					error.problems.map((problem) => `${path.basename(problem.where?.file ?? '')}:${problem.where?.line}`),
					['base.yml:5'],
				);
				return true;
			},
		);
	} finally {
		rmSync(folder, {recursive: true, force: true});
	}
});

test('a bare environment entry (`- FOO`, `FOO:`) takes its value from the shell, then .env, as compose fills it', () => {
	const folder = mkdtempSync(path.join(tmpdir(), 'nm-bare-env-'));
	try {
		writeFileSync(
			path.join(folder, 'compose.yml'),
			'services:\n  a:\n    image: x\n    environment:\n      - FOO\n      - BAR=1\n      - GONE\n  b:\n    image: x\n    environment:\n      FOO:\n      SHELLY:\n',
		);
		writeFileSync(path.join(folder, '.env'), 'FOO=from-dotenv\nSHELLY=from-dotenv\n');
		const shell = {SHELLY: 'from-shell'};
		const expected = composeConfig(folder, [], shell);
		const model = loadComposeProject(folder, [], {environment: shell});
		assert.deepEqual(modelShape(model, Object.keys(expected.networks)), expected);
		assert.equal(model.services.get('b')?.environment.find((entry) => entry.key === 'SHELLY')?.value, 'from-shell');
		assert.equal(
			model.services.get('a')?.environment.find((entry) => entry.key === 'GONE')?.value,
			undefined,
			'set nowhere: no value, as compose leaves it out of the container',
		);
	} finally {
		rmSync(folder, {recursive: true, force: true});
	}
});
