/** What each entry of the home screen's menu does: the screen it opens and the core call behind it. */
import type {Core} from './core-api.js';
import type {Mode} from '../domain.js';
import {mapHeading, renderMapText} from '../plan/map-render.js';
import type {Overview} from '../session.js';
import {interruptedIteration, type HomeChoice} from './HomeScreen.js';
import type {Screen} from './Screens.js';
import {glyphs} from './theme.js';

export type ChoiceContext = {
	core: Core;
	planFile: string;
	host: string;
	mode?: Mode;
	setScreen: (screen: Screen) => void;
	startApply: (index?: number) => Promise<void>;
	startSettle: () => Promise<void>;
	openRollbackPreview: () => Promise<void>;
	quit: () => void;
};

export async function followChoice(context: ChoiceContext, overview: Overview, choice: HomeChoice): Promise<void> {
	const {core, planFile, host, mode, setScreen} = context;
	switch (choice) {
		case 'start':
		case 'review': {
			const index = overview.next >= 0 ? overview.next : overview.status.iterations.length - 1;
			setScreen({name: 'loading', message: `Planning iteration ${index + 1}${glyphs().ellipsis}`});
			setScreen({name: 'review', review: await core.loadReview(planFile, host, index, mode)});
			return;
		}
		case 'settle':
			await context.startSettle();
			return;
		case 'resume':
			await context.startApply(interruptedIteration(overview)?.index);
			return;
		case 'checks': {
			const applied = overview.status.iterations.filter((iteration) => iteration.status === 'done');
			const index = applied.at(-1)?.index ?? Math.max(0, overview.next);
			setScreen({name: 'loading', message: `Running the checks${glyphs().ellipsis}`});
			const result = await core.checksOnly(planFile, host, index);
			setScreen({
				name: 'checks',
				title: `Checks of iteration ${index + 1}: ${overview.status.iterations[index]?.name ?? ''}`,
				...result,
			});
			return;
		}
		case 'map': {
			setScreen({name: 'loading', message: `Drawing the network map${glyphs().ellipsis}`});
			const map = await core.loadMap(planFile, host);
			setScreen({name: 'text', title: mapHeading(map), lines: renderMapText(map).slice(1)});
			return;
		}
		case 'verify':
			setScreen({name: 'loading', message: `Probing every pair of the stack's namespaces${glyphs().ellipsis}`});
			setScreen({name: 'verify', matrix: await core.verifyIsolation(planFile, host)});
			return;
		case 'rollback':
			await context.openRollbackPreview();
			return;
		case 'journal':
			setScreen({name: 'text', title: 'Journal (newest last)', lines: await core.journalLines(planFile)});
			return;
		case 'report':
			if (overview.lastReport)
				setScreen({name: 'text', title: overview.lastReport, lines: (await core.readText(overview.lastReport)).split('\n')});
			return;
		case 'quit':
			context.quit();
			return;
		case 'message':
			// The home screen opens its own messages.
			return;
		default: {
			// A new menu entry fails to compile here until it says what it does.
			const unhandled: never = choice;
			throw new Error(`the home screen has no way to follow ${String(unhandled)}`);
		}
	}
}
