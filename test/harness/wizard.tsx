/**
 * The one fake core for the wizard's screen tests: every call answers with the example stack's
 * fixtures (test/harness/fixtures.ts) or, for a run nobody asked for, fails loudly; a test
 * replaces the calls it is about. `wizard()` mounts the whole shell over it and records the
 * exit codes it asks for.
 */
import {App, type Core} from '../../source/app.js';
import type {DescribedRollbackPreview} from '../../source/core.js';
import {checks, health, matrixAfterRetire, networkMapOf, overview, review} from './fixtures.js';

export function fakeCore(change: Partial<Core> = {}, home = overview()): Core {
	const notHere = async (): Promise<never> => {
		throw new Error('not in this test');
	};
	const nothing: DescribedRollbackPreview = {iteration: '', index: 0, actions: [], lines: [], drift: [], nothingToDo: true};
	return {
		loadOverview: async () => home,
		loadReview: async () => review(),
		applyIteration: notHere,
		rollbackIteration: notHere,
		settleStack: notHere,
		previewRollback: async () => nothing,
		checksOnly: async () => ({checks, health}),
		journalLines: async () => [],
		readText: async () => '',
		recentStacks: async () => [],
		loadMap: async () => networkMapOf(0),
		verifyIsolation: async () => matrixAfterRetire(),
		...change,
	};
}

export function wizard(core: Core = fakeCore(), planFile = '/srv/media/netmigrate.yml') {
	const exits: number[] = [];
	return {
		exits,
		tree: <App core={core} planFile={planFile} host="unix:///x.sock" yes={false} onExit={(code) => exits.push(code)} />,
	};
}
