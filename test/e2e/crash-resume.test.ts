// engines: 26 alone — Engine 26 only: crash points and resume are the same code on both, and 26 is the slower pass to kill at every journal write; alone, beside the other passes, because it takes 16 min
/**
 * Crash injection: an apply SIGKILLs itself right after its k-th journal write of this process
 * (NETMIGRATE_TEST_CRASH_AFTER_JOURNAL_WRITE=k, test-only). A clean run counts the journal
 * writes of iteration 1; then every one of them is a crash point, twice over:
 *
 * - resume: one chain of runs, each resumed from the previous one's crash and killed after its
 *   first new write (it first re-journals the intents the crash left open, then makes one new
 *   write), so the chain crashes after (nearly: shared fsyncs let writes interleave) every write
 *   of a clean run; the run that is not
 *   killed must end where a clean run ends, and a rollback must then restore the start. One
 *   cheap process per crash point instead of a full resume and rollback for each.
 * - rollback: for each k, from the start, an apply killed after write k, then a rollback, which
 *   must restore the start — files byte-identical, membership and networks as before.
 *
 * Before each of those rollbacks the operator heads traefik's compose file with a comment (one
 * netmigrate edits): the rollback must keep it, whatever k left the file as.
 */
import assert from 'node:assert/strict';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {sha256} from '../../source/hash.js';
import {runCli} from '../harness/cli.js';
import {exampleStack} from '../harness/engine.js';
import {stackState, type StackState} from '../harness/state.js';
import {exampleStackSuite} from '../harness/suite.js';

const suite = exampleStackSuite(countCrashPoints);
let end: StackState;
let points = 0;

type Entry = {seq: number; run: string; id: string; phase: string};

function journal(): Entry[] {
	try {
		return readFileSync(path.join(suite.stack.root, '.netmigrate/journal.jsonl'), 'utf8')
			.split('\n')
			.filter(Boolean)
			.map((line) => JSON.parse(line) as Entry);
	} catch {
		return [];
	}
}

/** Intents of the apply after `since` with no outcome yet: a resumed run journals each again before anything new. */
function openIntents(since: number): number {
	const last = new Map<string, string>();
	for (const entry of journal())
		if (entry.seq > since && entry.run === 'apply' && entry.phase !== 'planned') last.set(entry.id, entry.phase);
	return [...last.values()].filter((phase) => phase === 'intent').length;
}

const lastSeq = () => journal().at(-1)?.seq ?? 0;
const apply = async (crashAfter?: number) =>
	runCli(['apply', '--yes', '--no-matrix', '--host', suite.engine.host], {
		cwd: suite.stack.root,
		env: crashAfter ? {NETMIGRATE_TEST_CRASH_AFTER_JOURNAL_WRITE: String(crashAfter)} : {},
	});
const rollback = async () => runCli(['rollback', '--yes', '--host', suite.engine.host], {cwd: suite.stack.root});

/**
 * The operator's own edit between the crash and the rollback: a comment heading a file netmigrate
 * edits (written by then or not, depending on k). The rollback must keep it and still undo the
 * rest; the expected state is the start with that one file carrying the comment. (A line added
 * at the very end, right beside the networks netmigrate declares there, is a conflict when the
 * crash left the write's outcome unknown: the rollback then stops and asks before any change.)
 */
const driftFile = 'traefik/docker-compose.yml';
const operatorEdit = '# changed by the operator after the apply\n';
function drift(): StackState {
	const file = path.join(suite.stack.root, driftFile);
	writeFileSync(file, `${operatorEdit}${readFileSync(file, 'utf8')}`);
	return {
		...suite.start,
		files: {...suite.start.files, [driftFile]: sha256(`${operatorEdit}${readFileSync(path.join(exampleStack, driftFile), 'utf8')}`)},
	};
}
function undrift(): void {
	const file = path.join(suite.stack.root, driftFile);
	writeFileSync(file, readFileSync(file, 'utf8').replace(operatorEdit, ''));
}

/** After the shared set-up: a clean run counts the crash points and records the end state. */
async function countCrashPoints(): Promise<void> {
	const before = journal().length;
	const clean = await apply();
	assert.equal(clean.exitCode, 0, clean.all);
	points = journal().length - before;
	end = await stackState(suite.engine.docker, suite.stack.root);
	const back = await rollback();
	assert.equal(back.exitCode, 0, back.all);
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), suite.start);
	console.log(`# crash points in iteration 1: ${points} journal writes`);
}

test('iteration 1 has crash points to test', () => {
	assert.ok(points > 40, `only ${points} journal writes`);
});

test('a chain of runs killed after every journal write in turn, each resuming the last, ends where a clean run ends; rollback restores the start', async () => {
	const started = Date.now();
	const since = lastSeq();
	let crashes = 0;
	for (let target = 1; ; target = openIntents(since) + 1) {
		const run = await apply(target);
		if (run.signal !== 'SIGKILL') {
			assert.equal(run.exitCode, 0, `after ${crashes} crashes, the resume failed\n${run.all}`);
			break;
		}
		crashes++;
		assert.ok(
			crashes <= points,
			`more crashes (${crashes}) than journal writes in a clean run (${points}): a resume is not making progress`,
		);
	}
	// Actions that run side by side share their fsyncs, so a resumed run's re-journaled intents and
	// its first new writes can interleave and the chain may pass over a few crash points; the next
	// test crashes at every one of them from a fresh start.
	assert.ok(crashes >= Math.ceil(points * 0.8), `a crash after nearly every journal write of a clean run: ${crashes} of ${points}`);
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), end, 'the chain ends where a clean run ends');
	const expected = drift();
	const back = await rollback();
	assert.equal(back.exitCode, 0, `rollback after the chain failed\n${back.all}`);
	assert.deepEqual(
		await stackState(suite.engine.docker, suite.stack.root),
		expected,
		"rollback after the chain restores the start, the operator's edit kept",
	);
	undrift();
	console.log(`# ${crashes} crashes resumed in one chain in ${Math.round((Date.now() - started) / 1000)} s`);
});

test('for every crash point k: rollback from k restores the start', async () => {
	const started = Date.now();
	for (let k = 1; k <= points; k++) {
		const crashed = await apply(k);
		assert.equal(crashed.signal, 'SIGKILL', `k=${k}: the process should have been killed (${crashed.all.slice(-300)})`);
		const expected = drift();
		const fromCrash = await rollback();
		assert.equal(fromCrash.exitCode, 0, `k=${k}: rollback from the crash point failed\n${fromCrash.all}`);
		assert.deepEqual(
			await stackState(suite.engine.docker, suite.stack.root),
			expected,
			`k=${k}: rollback from the crash point restores the start, the operator's edit kept`,
		);
		undrift();
	}
	console.log(`# ${points} crash points × (crash, rollback) in ${Math.round((Date.now() - started) / 1000)} s`);
});
