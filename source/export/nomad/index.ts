/**
 * `netmigrate export nomad`, the pure part: from the compose model, the plan and the intended
 * stack after an iteration, every file of the export as text (the job, the Consul intentions,
 * the Nomad Variable specifications, the client firewall, a README). Writing them is the
 * command's job (source/commands/export.ts).
 */
import type {ComposeModel} from '../../compose/project.js';
import {intendedStack} from '../../plan/intent.js';
import type {Plan} from '../../plan/schema.js';
import {renderIntentions} from './consul.js';
import {renderFirewall} from './firewall.js';
import {renderJob, renderVariables} from './job.js';
import {nomadModel, type NomadExport} from './model.js';
import {notValidated, renderReadme} from './readme.js';

export {notValidated};
export type ExportFile = {file: string; text: string};

/** "after iteration 2 (port-consolidation)", or "today, before any iteration". */
export function iterationWords(plan: Plan, iteration: number): string {
	return iteration < 0 ? 'today, before any iteration' : `after iteration ${iteration + 1} (${plan.iterations[iteration]?.name ?? '?'})`;
}

/** `iteration`: 0-based, -1 for the stack as it is today. */
export function exportNomad(project: ComposeModel, plan: Plan, iteration: number): {model: NomadExport; files: ExportFile[]} {
	const model = nomadModel(project, plan, intendedStack(project, plan, iteration));
	const heading = `Compose project ${project.projectName}, ${iterationWords(plan, iteration)}, exported by netmigrate. Not validated against a Nomad server.`;
	const jobFile = `${model.job}.nomad.hcl`;
	const files: ExportFile[] = [
		{file: jobFile, text: renderJob(model, heading)},
		...renderIntentions(model),
		...renderVariables(model),
		{file: 'firewall.nft', text: renderFirewall(model, heading)},
	];
	files.push({file: 'README.md', text: renderReadme(model, heading, [...files.map((entry) => entry.file), 'README.md'])});
	return {model, files};
}
