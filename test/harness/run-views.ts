/** Run-screen states folded from recorded events, for screen tests and the frame bench. */
import {initialRunView, reduceRun, type RunView} from '../../source/ui/run-state.js';
import {stepInfos} from '../../steps/index.js';

/** Iteration 1 a second into multi-home: preflight done, 12 of 39 connects made, one under way. */
export function runningView(): RunView {
	let view = initialRunView('apply', [], 'network-foundation', 0);
	const events = [
		{type: 'run-start', run: 'apply', iteration: 'network-foundation', index: 0, mode: 'live', resumed: false, steps: stepInfos},
		{type: 'step-start', step: 'preflight', title: 'Preflight', total: 0},
		{type: 'step-done', step: 'preflight', title: 'Preflight', durationMs: 170, summary: 'ready'},
		{type: 'step-start', step: 'multihome', title: 'Multi-home services', total: 39},
		...Array.from({length: 12}, (_, index) => ({
			type: 'action-done',
			step: 'multihome',
			id: `m${index}`,
			description: `connect svc${index} to mgmt-net as svc${index}`,
			durationMs: 40,
			already: false,
			done: index + 1,
			total: 39,
		})),
		{type: 'action-start', step: 'multihome', id: 'm13', description: 'connect sonarr to download-net as sonarr'},
	] as const;
	for (const event of events) view = reduceRun(view, event as never, Date.now() - 1100);
	return view;
}
