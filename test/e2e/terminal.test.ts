// engines: 26 — Engine 26 only: the terminal is the same on both engines
/**
 * The built binary in a real pseudo-terminal (tmux, 80×24), and without one: the wizard must
 * draw within the screen, honour NO_COLOR and quit cleanly; a pipe gets line output, never a
 * raw-mode crash.
 */
import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {execa} from 'execa';
import {cliPath, runCli} from '../harness/cli.js';
import {tick} from '../harness/render.js';
import {stackState} from '../harness/state.js';
import {exampleStackSuite} from '../harness/suite.js';

const suite = exampleStackSuite();
const session = `netmigrate-smoke-${process.pid}`;

const tmux = async (...args: string[]) => (await execa('tmux', args, {reject: false})).stdout;
/** One key per write, as a person types: Ink parses a whole read as one keypress. */
const press = async (...names: string[]) => {
	for (const name of names) {
		await tmux('send-keys', '-t', session, name);
		await tick(120);
	}
};
const capture = async (escapes = false) => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', session);

async function waitForScreen(pattern: RegExp, timeoutMs = 20_000, gone?: RegExp): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	let screen = '';
	while (Date.now() < deadline) {
		screen = await capture();
		if (pattern.test(screen) && !(gone?.test(screen) ?? false)) {
			// A person reacts in more than a few milliseconds; the new screen's key handlers attach after it draws.
			await tick(300);
			return screen;
		}
		await tick(150);
	}
	throw new Error(`the terminal never showed ${pattern}; it shows:\n${screen}`);
}

after(async () => {
	await tmux('kill-session', '-t', session);
});

test('the wizard in tmux at 80×24: home, review, back, quit — within the screen, without colour under NO_COLOR', async () => {
	const command = `cd ${suite.stack.root} && LANG=C.UTF-8 NO_COLOR=1 node ${cliPath} --host ${suite.engine.host}; echo "exit=$?"; sleep 30`;
	await tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', 'bash', '-c', command);
	let screen = await waitForScreen(/Start iteration 1: network-foundation/);
	assert.match(screen, /netmigrate · project media/);
	assert.ok(screen.split('\n').every((line) => [...line].length <= 80));
	const coloured = await capture(true);
	assert.doesNotMatch(coloured, /\u001B\[3[0-9]m/, 'no foreground colours under NO_COLOR');

	await press('Down', 'Enter');
	screen = await waitForScreen(/Review iteration 1: network-foundation/);
	assert.match(screen, /Create networks \(6\)/);
	await press('q');
	await waitForScreen(/Start iteration 1[\s\S]*Quit/, 20_000, /Review iteration/);
	// Start, Review, Run checks only, Network map, Verify isolation, Quit.
	await press('Down', 'Down', 'Down', 'Down', 'Down', 'Enter');
	screen = await waitForScreen(/exit=0/);
	assert.doesNotMatch(screen, /Raw mode is not supported|Error:/);
});

test('LANG=C and TERM=vt100: only ASCII reaches the terminal; keys typed in one write all count; q quits at home', async () => {
	await tmux('kill-session', '-t', session);
	// The test process (and so the tmux server) may carry NETMIGRATE_GLYPHS from the screen-test harness.
	const command = `cd ${suite.stack.root} && unset NETMIGRATE_GLYPHS && LANG=C LC_ALL=C TERM=vt100 node ${cliPath} --host ${suite.engine.host}; echo "exit=$?"; sleep 30`;
	await tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', 'bash', '-c', command);
	let screen = await waitForScreen(/Start iteration 1: network-foundation/);
	assert.match(screen, /> Start iteration 1/);
	const raw = await capture(true);
	assert.ok(
		![...raw].some((character) => character.charCodeAt(0) > 0x7f),
		`non-ASCII on screen: ${[...new Set([...raw].filter((character) => character.charCodeAt(0) > 0x7f))].join(' ')}`,
	);
	// Down and Enter arrive in one read, as over a laggy link: both count.
	await tmux('send-keys', '-t', session, '-l', '\u001B[B\r');
	screen = await waitForScreen(/Review iteration 1: network-foundation/);
	assert.ok(![...(await capture(true))].some((character) => character.charCodeAt(0) > 0x7f), 'the review is ASCII too');
	await press('q');
	await waitForScreen(/Start iteration 1[\s\S]*Quit/, 20_000, /Review iteration/);
	await press('q');
	screen = await waitForScreen(/exit=0/);
	assert.doesNotMatch(screen, /Error:/);
});

test('without a terminal the wizard falls back to line output instead of failing on raw mode', async () => {
	const result = await runCli(['--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(result.exitCode, 0, result.all);
	assert.match(result.stderr, /no terminal for the wizard; showing the status instead/);
	assert.match(result.stdout, /Stack media in .*\n {2}1\. network-foundation\s+pending/);
	assert.doesNotMatch(result.all, /Raw mode/);
});

test('apply without a terminal and without --yes refuses with the flag to pass, changing nothing', async () => {
	const result = await runCli(['apply', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(result.exitCode, 2);
	assert.match(result.stderr, /refusing to change the host without confirmation: there is no terminal to ask\n {2}fix: pass --yes/);
	assert.deepEqual((await suite.engine.docker.listNetworks()).map((network) => network.Name).sort(), ['host', 'media-network', 'none']);
});

test('an engine that does not answer exits 4 with what to do', async () => {
	const result = await runCli(['apply', '--yes', '--host', `unix://${path.join(suite.stack.root, 'no.sock')}`], {cwd: suite.stack.root});
	assert.equal(result.exitCode, 4, result.all);
	assert.match(result.stderr, /the Docker engine is not answering \(ENOENT\)/);
	assert.match(result.stderr, /fix: check that dockerd is running/);
});

/** Whether a process is still there (signal 0 only asks). */
const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

/** A run's frame whole: its header names the iteration, and each step is listed once. */
function assertWholeFrame(screen: string): void {
	assert.match(screen, /Applying iteration 1: network-foundation/, screen);
	for (const step of ['Preflight', 'Backup', 'Create networks', 'Multi-home services', 'Connectivity checks', 'Report']) {
		assert.equal(
			screen.split('\n').filter((line) => new RegExp(`^\\S+ +${step}\\b`).test(line)).length,
			1,
			`${step} is listed once:\n${screen}`,
		);
	}
}

test("at 120×40 through the gates, each frame replaces the last whole (Ink's incremental rendering left earlier lines: a step listed twice)", async () => {
	await tmux('kill-session', '-t', session);
	await tmux(
		'new-session',
		'-d',
		'-s',
		session,
		'-x',
		'120',
		'-y',
		'40',
		'bash',
		'-c',
		`cd ${suite.stack.root} && node ${cliPath} --host ${suite.engine.host}; sleep 30`,
	);
	await waitForScreen(/Start iteration 1: network-foundation/);
	await press('Enter');
	await waitForScreen(/Review iteration 1: network-foundation/);
	await press('Enter');
	assertWholeFrame(await waitForScreen(/Next: Create networks/, 30_000));
	await press('Enter');
	assertWholeFrame(await waitForScreen(/Next: Multi-home services/, 30_000));
	await press('q');
	await waitForScreen(/Stopped; progress is saved/);
	await tmux('kill-session', '-t', session);
	const rollback = await runCli(['rollback', '--yes', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(rollback.exitCode, 0, rollback.all);
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), suite.start);
});

test('a dropped link mid-step (tmux kill-session): the action finishes, the state is saved, the lock is released, the next wizard offers to resume', async () => {
	await tmux('kill-session', '-t', session);
	const lockFile = path.join(suite.stack.root, '.netmigrate/lock.json');
	const command = `cd ${suite.stack.root} && node ${cliPath} --host ${suite.engine.host} --yes`;
	await tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', 'bash', '-c', command);
	await waitForScreen(/Start iteration 1: network-foundation/);
	await press('Enter');
	await waitForScreen(/Review iteration 1: network-foundation/);
	await press('Enter');
	// Mid-step: the multi-home step has started and has actions left.
	await waitForScreen(/Multi-home services\s+([0-9]|[12][0-9])\/39/, 30_000);
	const holder = JSON.parse(readFileSync(lockFile, 'utf8')) as {pid: number};
	assert.ok(alive(holder.pid), 'the wizard holds the lock while it runs');
	// The client goes away, as an SSH session does: the terminal hangs up (SIGHUP), nobody kills the process.
	await tmux('kill-session', '-t', session);
	const deadline = Date.now() + 30_000;
	while (alive(holder.pid) && Date.now() < deadline) await tick(100);
	assert.ok(!alive(holder.pid), 'the wizard left after finishing its action');
	assert.ok(!existsSync(lockFile), 'no lock is left behind');

	const status = await runCli(['status', '--json'], {cwd: suite.stack.root});
	const iteration = (
		JSON.parse(status.stdout) as {iterations: Array<{status: string; interruptedAt?: string; progress?: {error?: string}}>}
	).iterations[0];
	// Recorded as Ctrl-C records it: the run stopped before its next action.
	assert.match(iteration?.progress?.error ?? '', /^stopped: stopped before /, status.stdout);
	assert.equal(iteration?.interruptedAt, 'Multi-home services', 'stopped within the step, not at its end');

	await tmux(
		'new-session',
		'-d',
		'-s',
		session,
		'-x',
		'80',
		'-y',
		'24',
		'bash',
		'-c',
		`cd ${suite.stack.root} && node ${cliPath} --host ${suite.engine.host}; sleep 30`,
	);
	const screen = await waitForScreen(/Resume iteration 1: network-foundation/);
	assert.match(screen, /Iteration 1 \(network-foundation\) was interrupted at Multi-home services/);
	await press('q');
	await tmux('kill-session', '-t', session);

	// And what the hang-up left is whole: a rollback returns the stack exactly as it was.
	const rollback = await runCli(['rollback', '--yes', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(rollback.exitCode, 0, rollback.all);
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), suite.start);
});
