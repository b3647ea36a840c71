/**
 * The set-up every end-to-end file shares: a clean private engine, a scratch copy of the
 * example stack (or of a fixture stack) brought up healthy, its state recorded; torn down (and
 * the engine cleaned) after the file. Fields are filled in the `before` hook this registers.
 */
import {after, before} from 'node:test';
import {runCompose, type ComposeProject} from '../../source/engine/compose.js';
import {copyStack, exampleStack, stopTestEngine, testEngine, type TestEngine} from './engine.js';
import {stackState, type StackState} from './state.js';

export type StackSuite = {engine: TestEngine; stack: ReturnType<typeof copyStack>; project: ComposeProject; start: StackState};

/** `then` runs inside the same hook, after the set-up: Node 20 does not wait for one root-level `before` before the next. */
export function exampleStackSuite(then?: (suite: StackSuite) => Promise<void>): StackSuite {
	return stackSuite(exampleStack, 'media', then);
}

/**
 * The same for another stack folder whose `docker-compose.yml` names compose project
 * `projectName`; `up` is how it is brought up (a stack with a container that is never healthy
 * waits for the others only).
 */
export function stackSuite(
	source: string,
	projectName: string,
	then?: (suite: StackSuite) => Promise<void>,
	up = ['up', '-d', '--wait'],
): StackSuite {
	const suite = {} as StackSuite;
	before(async () => {
		suite.engine = await testEngine();
		suite.stack = copyStack(source);
		suite.project = {host: suite.engine.host, directory: suite.stack.root, files: ['docker-compose.yml']};
		// Compose's own first `up` can race a namespace's many followers ("cannot join network namespace
		// of a non running container"); a second `up` finishes it, as operators do.
		await runCompose(suite.project, up).catch(async () => runCompose(suite.project, up));
		suite.start = await stackState(suite.engine.docker, suite.stack.root, projectName);
		await then?.(suite);
	});
	after(async () => {
		if (suite.project) await runCompose(suite.project, ['down', '--timeout', '1']).catch(() => undefined);
		suite.stack?.remove();
		await stopTestEngine();
	});
	return suite;
}
