// engines: 26 — Engine 26 only: packaging needs no particular engine
/**
 * The single executable (`npm run build:sea`) on a host without Node: built from the current
 * source, checked against its SHA256SUMS, then run under `env -i` with a PATH that holds no
 * `node`, from a scratch copy of the example stack. No engine answers at the --host passed.
 */
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {copyFileSync, cpSync, mkdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {execa} from 'execa';
import {demoWithoutEngineCommand, examplePlanLines, headCommit, noEngine, repoRoot, scratchFolder} from '../harness/installed.js';
import {inTerminal, wizardFrames} from '../harness/pty.js';

const executable = path.join(repoRoot, `dist/sea/netmigrate-linux-${process.arch}`);
const scratch = scratchFolder('nm-sea-');
const stack = path.join(scratch.root, 'stack');
const emptyBin = path.join(scratch.root, 'bin');

before(async () => {
	await execa('npm', ['run', 'build:sea', '--silent'], {cwd: repoRoot});
	cpSync(path.join(repoRoot, 'examples/media-stack'), stack, {recursive: true});
	mkdirSync(emptyBin);
});

after(() => scratch.remove());

/** `env -i PATH=<an empty folder> netmigrate-linux-x64 …`: no Node, no environment. */
async function bare(args: string[]) {
	const result = await execa('env', ['-i', `PATH=${emptyBin}`, 'NO_COLOR=1', executable, ...args], {
		cwd: stack,
		reject: false,
		all: true,
	});
	return {...result, all: result.all ?? ''};
}

test('the PATH the executable runs with has no node', async () => {
	const lookup = await execa('env', ['-i', `PATH=${emptyBin}`, '/bin/sh', '-c', 'command -v node'], {reject: false});
	assert.notEqual(lookup.exitCode, 0, `node was found at ${lookup.stdout}`);
});

test('SHA256SUMS beside the executable holds its hash', () => {
	const sums = readFileSync(path.join(path.dirname(executable), 'SHA256SUMS'), 'utf8');
	const hash = createHash('sha256').update(readFileSync(executable)).digest('hex');
	assert.match(sums, new RegExp(`^${hash}  ${path.basename(executable)}$`, 'm'));
	assert.ok(statSync(executable).mode & 0o100, 'executable');
});

test('the single executable answers --help and --version without Node', async () => {
	const help = await bare(['--help']);
	assert.equal(help.exitCode, 0, help.all);
	assert.match(help.stdout, /^netmigrate — re-segment a running docker-compose stack/);
	assert.equal(help.stderr, '', 'no warning from the SEA runtime');
	const version = await bare(['--version']);
	assert.equal(version.exitCode, 0, version.all);
	assert.match(
		version.stdout,
		new RegExp(`^netmigrate \\d+\\.\\d+\\.\\d+ \\(commit ${await headCommit()}(\\+changes)?, single executable, Node v\\d+`),
	);
});

test('the single executable dry-runs the example with plan and drafts a plan with init', async () => {
	const host = noEngine(scratch.root);
	const plan = await bare(['plan', '--host', host]);
	assert.equal(plan.exitCode, 0, plan.all);
	for (const line of examplePlanLines) assert.match(plan.stdout, line);
	assert.equal(plan.stderr, '', 'no warning from the SEA runtime');

	const init = await bare(['init', '--host', host, '--output', path.join(stack, 'drafted.yml')]);
	assert.equal(init.exitCode, 0, init.all);
	assert.match(init.stdout, /wrote .*drafted\.yml: 5 networks/);
});

test("the single executable draws the wizard's home screen in a terminal", async () => {
	// No locale at all is the C locale: the wizard draws ASCII (test/unit/terminal.test.tsx).
	const {screen} = await wizardFrames(
		['env', '-i', `PATH=${emptyBin}`, 'TERM=xterm-256color', executable, '--host', noEngine(scratch.root)],
		{cwd: stack},
	);
	assert.match(screen, /netmigrate \| project media/);
	assert.match(screen, /1\. network-foundation/);
	assert.match(screen, /Quit/);
});

test("the single executable's demo writes out its engine installer, runs it and, without root, says how to go on", async () => {
	const copy = path.join(scratch.root, path.basename(executable));
	copyFileSync(executable, copy);
	const screen = await inTerminal(demoWithoutEngineCommand(scratch.root, [copy]), {cwd: scratch.root});
	assert.match(
		screen,
		/engine: Docker Engine is missing and installing it needs root \(run: sudo \S*netmigrate-demo-\w+\/install-engine\.sh\)/,
	);
	assert.match(screen, /error: the demo needs Docker Engine, Compose v2 and a static busybox/);
	assert.match(screen, new RegExp(`fix: run it as root .*: sudo ${copy} demo`));
});
