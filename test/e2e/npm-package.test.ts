// engines: 26 — Engine 26 only: packaging needs no particular engine
/**
 * The npm package as an operator gets it: `npm pack`, then `npm install -g --prefix <scratch>`
 * of the tarball with npm offline, then the installed command run from a scratch folder under
 * Node's permission model, which lets it read only the installed package and the scratch stack:
 * a file it needed from the repository would fail the command. No engine answers at the
 * --host these tests pass; init and plan fall back to the compose files, and say so.
 */
import assert from 'node:assert/strict';
import {cpSync, existsSync, readFileSync, readdirSync, statSync, symlinkSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {execa} from 'execa';
import {
	demoWithoutEngineCommand,
	exampleFiles,
	examplePlanLines,
	headCommit,
	noEngine,
	repoRoot,
	scratchFolder,
} from '../harness/installed.js';
import {inTerminal} from '../harness/pty.js';

type Packed = {filename: string; size: number; unpackedSize: number; files: Array<{path: string}>};

const scratch = scratchFolder('nm-npm-');
const prefix = path.join(scratch.root, 'prefix');
const installed = path.join(prefix, 'lib/node_modules/netmigrate');
const stack = path.join(scratch.root, 'stack');
let packed: Packed;

before(async () => {
	// `npm pack` runs `prepack` (the build), as publishing does — in a clone of the repository at
	// its commit: the build replaces dist/bundle, which the other engine passes' CLIs run from at
	// this very moment (a CLI started in that gap said "netmigrate is not built yet").
	const source = path.join(scratch.root, 'source');
	await execa('git', ['clone', '--quiet', repoRoot, source]);
	symlinkSync(path.join(repoRoot, 'node_modules'), path.join(source, 'node_modules'));
	const pack = await execa('npm', ['pack', '--json', '--pack-destination', scratch.root], {cwd: source});
	packed = (JSON.parse(pack.stdout) as Packed[])[0] as Packed;
	await execa(
		'npm',
		['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', path.join(scratch.root, packed.filename)],
		{cwd: scratch.root},
	);
	cpSync(path.join(installed, 'examples/media-stack'), stack, {recursive: true});
});

after(() => scratch.remove());

/** The installed command, allowed to read only the installed package and the scratch folder. */
async function installedNetmigrate(args: string[]) {
	const sandbox = [
		'--experimental-permission',
		`--allow-fs-read=${installed}/*`,
		`--allow-fs-read=${scratch.root}/*`,
		`--allow-fs-write=${scratch.root}/*`,
		'--no-warnings',
	];
	const result = await execa(process.execPath, [...sandbox, path.join(prefix, 'bin/netmigrate'), ...args], {
		cwd: stack,
		env: {PATH: '/usr/bin:/bin', HOME: scratch.root, NO_COLOR: '1'},
		extendEnv: false,
		reject: false,
		all: true,
	});
	return {...result, all: result.all ?? ''};
}

test('the sandbox the installed command runs in cannot read the repository', async () => {
	const probe = await execa(
		process.execPath,
		[
			'--experimental-permission',
			`--allow-fs-read=${installed}/*`,
			'--no-warnings',
			'-e',
			`require('node:fs').readFileSync(${JSON.stringify(path.join(repoRoot, 'package.json'))})`,
		],
		{reject: false, all: true},
	);
	assert.notEqual(probe.exitCode, 0, 'reading the repository must fail in the sandbox');
	assert.match(probe.all ?? '', /ERR_ACCESS_DENIED/);
});

test('the package is small, inlines its dependencies and runs no script at install', () => {
	const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as {
		dependencies?: object;
		scripts: Record<string, string>;
		engines: {node: string};
	};
	assert.equal(manifest.dependencies, undefined, 'every dependency is in the bundle');
	for (const hook of ['preinstall', 'install', 'postinstall', 'prepare'])
		assert.equal(manifest.scripts[hook], undefined, `no ${hook} script`);
	assert.equal(manifest.engines.node, '>=20.5');
	assert.ok(!existsSync(path.join(installed, 'node_modules')), 'npm installed nothing beside it');
	assert.ok(packed.size < 1_500_000, `packed ${packed.size} bytes`);
	assert.ok(packed.unpackedSize < 6_000_000, `unpacked ${packed.unpackedSize} bytes`);
	assert.ok(
		!packed.files.some(
			(file) =>
				/^(source|steps|state|bench|scripts|dist\/sea)\//.test(file.path) ||
				/^test\/(?!harness\/install-engine\.sh$)/.test(file.path),
		),
		'no sources, tests or single executables in the package',
	);
});

test('the package carries what demo needs: the example stack and the engine installer', async () => {
	const shipped = listFiles(path.join(installed, 'examples/media-stack')).sort();
	assert.deepEqual(shipped, await exampleFiles());
	const installer = path.join(installed, 'test/harness/install-engine.sh');
	assert.ok(statSync(installer).mode & 0o100, 'the installer is executable');
	assert.match(readFileSync(installer, 'utf8'), /apt-get install/);
});

test('the installed netmigrate answers --help and --version, naming its commit', async () => {
	const help = await installedNetmigrate(['--help']);
	assert.equal(help.exitCode, 0, help.all);
	assert.match(help.stdout, /^netmigrate — re-segment a running docker-compose stack/);
	assert.match(help.stdout, /netmigrate demo {2,}the wizard on a private engine/);
	const version = await installedNetmigrate(['--version']);
	assert.equal(version.exitCode, 0, version.all);
	const {version: expected} = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {version: string};
	assert.match(
		version.stdout,
		new RegExp(`^netmigrate ${expected.replaceAll('.', '\\.')} \\(commit ${await headCommit()}(\\+changes)?, npm package, Node v\\d+`),
	);
});

test('the installed netmigrate drafts a plan with init and dry-runs it with plan, reading only what was installed', async () => {
	const host = noEngine(scratch.root);
	const drafted = path.join(stack, 'drafted.yml');
	const init = await installedNetmigrate(['init', '--host', host, '--output', drafted]);
	assert.equal(init.exitCode, 0, init.all);
	assert.match(init.stdout, /wrote .*drafted\.yml: 5 networks, \d+ checks for project media \(legacy network media-network\)/);
	assert.match(init.stdout, /no engine answered at .*; drafted from the compose files only/);

	const plan = await installedNetmigrate(['plan', '--host', host, '--detailed-exitcode']);
	assert.equal(plan.exitCode, 2, `changes pending: ${plan.all}`);
	for (const line of examplePlanLines) assert.match(plan.stdout, line);

	const ofDraft = await installedNetmigrate(['plan', '--host', host, '--plan', drafted]);
	assert.equal(ofDraft.exitCode, 0, ofDraft.all);
	assert.match(ofDraft.stdout, /\+ create network /);
});

test('the installed demo runs its own engine installer and, without root, says how to go on', async () => {
	const screen = await inTerminal(demoWithoutEngineCommand(scratch.root, [path.join(prefix, 'bin/netmigrate')]), {cwd: scratch.root});
	assert.match(
		screen,
		new RegExp(
			`engine: Docker Engine is missing and installing it needs root \\(run: sudo ${installed}/test/harness/install-engine\\.sh\\)`,
		),
	);
	assert.match(screen, /error: the demo needs Docker Engine, Compose v2 and a static busybox/);
	assert.match(screen, new RegExp(`fix: run it as root .*: sudo \\S*node ${prefix}/bin/netmigrate demo`));
});

function listFiles(folder: string, under = ''): string[] {
	return readdirSync(path.join(folder, under), {withFileTypes: true}).flatMap((entry) =>
		entry.isDirectory() ? listFiles(folder, path.join(under, entry.name)) : [path.join(under, entry.name)],
	);
}
