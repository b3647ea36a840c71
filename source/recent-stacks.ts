/**
 * The stacks netmigrate has run in on this host, as the operator's settings remember them
 * (state/settings.ts): each run's stack is recorded when the run starts (its `run-start`
 * event: the plan loaded, the lock taken), and the wizard, started where there is no plan,
 * offers the ones whose plan is still there. A bookmark never fails or slows a run: it is
 * written in the background, and any error writing it is dropped.
 */
import {existsSync} from 'node:fs';
import path from 'node:path';
import type {Emit} from './events.js';
import {stackRootOf} from './runs/open.js';
import {loadSettings, readSettings, type RecentStack} from '../state/settings.js';

export type {RecentStack} from '../state/settings.js';

/** `options` whose `emit` also records the stack in the settings at the run's start. */
export function rememberingStack<T extends {planFile: string; emit: Emit}>(options: T, environment: NodeJS.ProcessEnv = process.env): T {
	let remembered = false;
	return {
		...options,
		emit: (event) => {
			if (event.type === 'run-start' && !remembered) {
				remembered = true;
				void remember(options.planFile, environment);
			}
			options.emit(event);
		},
	};
}

async function remember(planFile: string, environment: NodeJS.ProcessEnv): Promise<void> {
	try {
		const plan = path.resolve(planFile);
		await (await loadSettings(environment)).recordStack({root: stackRootOf(plan), plan});
	} catch {
		// The settings are the operator's notes; the run's own state is in its journal and progress.
	}
}

/** The stacks the wizard can offer instead of `planFile` when that plan is not there: none when it is. */
export function recentStacks(planFile: string, environment: NodeJS.ProcessEnv = process.env): RecentStack[] {
	if (existsSync(planFile)) return [];
	try {
		return readSettings(environment)
			.stacks()
			.filter((stack) => stack.plan !== path.resolve(planFile) && existsSync(stack.plan));
	} catch {
		return [];
	}
}
