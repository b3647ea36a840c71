/**
 * How many services `init` leaves unclassified on each real-shapes stack (issue 23's target:
 * at most 10% of the services on stacks nobody here wrote). Unclassified services stay on the
 * legacy network: safe, but the migration is not done. Run from the repository root:
 *
 *     node --import tsx test/corpus/real-shapes/unclassified.ts [stack …]
 *
 * It drafts each stack in-process, as `init` does with no engine (the compose files alone), and
 * prints one line per stack — services in the draft, unclassified, their names — and the total.
 */
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {loadComposeProject} from '../../../source/compose/project.js';
import {draftTieredPlan} from '../../../source/plan/draft.js';
import {corpusRoot, readStack, rootFiles, stackNames} from './status.js';

export type Unclassified = {stack: string; services: number; unclassified: string[]};

export function unclassifiedIn(name: string): Unclassified {
	const stack = readStack(name);
	const envFiles = stack.composeArgs.flatMap((arg, index) => (arg === '--env-file' ? [stack.composeArgs[index + 1] as string] : []));
	const project = loadComposeProject(path.join(corpusRoot, name), rootFiles(name), {
		environment: stack.environment ?? {},
		envFiles,
		projectName: stack.project,
	});
	const draft = draftTieredPlan({project, legacy: stack.legacy, usedSubnets: [], composeFiles: project.rootFiles, stackRoot: '.'});
	const services = [...project.services.values()].filter((service) => service.active).length;
	return {stack: name, services, unclassified: draft.unclassified};
}

function percent(part: number, whole: number): string {
	return whole === 0 ? '0%' : `${Math.round((part / whole) * 1000) / 10}%`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const names = process.argv.length > 2 ? process.argv.slice(2) : stackNames();
	let services = 0;
	let unclassified = 0;
	for (const name of names) {
		try {
			const result = unclassifiedIn(name);
			services += result.services;
			unclassified += result.unclassified.length;
			const list = result.unclassified.length > 0 ? `: ${result.unclassified.join(', ')}` : '';
			process.stdout.write(
				`${name}: ${result.unclassified.length} of ${result.services} unclassified (${percent(result.unclassified.length, result.services)})${list}\n`,
			);
		} catch (error) {
			process.stdout.write(`${name}: not drafted: ${(error as Error).message.split('\n')[0]}\n`);
		}
	}
	process.stdout.write(`total: ${unclassified} of ${services} unclassified (${percent(unclassified, services)})\n`);
}
