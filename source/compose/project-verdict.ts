/**
 * Compose's verdict on the project as a whole, once its files are merged (verdict.ts judges each
 * file alone): a service whose `network_mode: service:X`, `depends_on` or `networks` names a
 * service or network the project does not have, and `env_file:`s compose could not read. Each
 * is refused as `docker compose config` refuses it, at its line, with the fix.
 */
import type {Node} from 'yaml';
import {NetmigrateError, type Problem} from '../errors.js';
import {readInputText} from '../input-file.js';
import {parseEnvFile} from './envfile.js';
import type {ComposeFile, ServiceModel} from './model.js';
import {whereOf} from './read.js';

/**
 * What compose refuses across files, once the project is merged: a service whose `network_mode:
 * service:X`, `depends_on` or `networks` names a service or network the project does not have
 * ("refers to undefined network", "depends on undefined service"). Inactive services are left
 * alone, as compose leaves them.
 */
export function projectProblems(
	services: Map<string, ServiceModel>,
	declaredNetworks: Map<string, unknown>,
	files: Map<string, ComposeFile>,
): Problem[] {
	const problems: Problem[] = [];
	const names = [...services.keys()];
	for (const service of services.values()) {
		if (!service.active) continue;
		const compose = files.get(service.file);
		const at = (key: string) =>
			compose ? whereOf(compose, (service.node.get(key, true) as Node | undefined) ?? service.node) : {file: service.file};
		const mode = typeof service.config.network_mode === 'string' ? service.config.network_mode : '';
		if (mode.startsWith('service:') && !services.has(mode.slice('service:'.length))) {
			const ghost = mode.slice('service:'.length);
			problems.push({
				message: `service ${service.name}: network_mode service:${ghost} names no service of this project`,
				where: at('network_mode'),
				hint: `name the service whose network namespace ${service.name} shares (one of ${names.slice(0, 8).join(', ')}), or container:<name> for a container outside the project`,
			});
		}
		for (const key of service.networkKeys) {
			if (key === 'default' || declaredNetworks.has(key)) continue;
			problems.push({
				message: `service ${service.name} refers to undefined network ${key}`,
				where: at('networks'),
				hint: `declare ${key} under the top-level \`networks:\` (with \`external: true\` if it exists already), or fix the name`,
			});
		}
		for (const dependency of service.dependsOn) {
			if (services.has(dependency)) continue;
			problems.push({
				message: `service ${service.name} depends on undefined service ${dependency}`,
				where: at('depends_on'),
				hint: `fix the name in depends_on (services: ${names.slice(0, 8).join(', ')})`,
			});
		}
	}
	return problems;
}

/** One error carrying every problem compose would refuse, at the first one's place. */
export function composeRefuses(label: string, problems: Problem[]): NetmigrateError {
	const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
	return new NetmigrateError(`${label} has ${count} \`docker compose config\` refuses too; nothing was changed`, {
		problems,
		where: problems[0]?.where,
		code: 'bad-input',
	});
}

/**
 * Every active service's `env_file:`s, read as compose reads them before anything runs: one that
 * is no regular file, too large, not UTF-8 or malformed is refused (a FIFO would otherwise be
 * skipped silently, or hang whoever reads it next). A missing one is left to the code that
 * knows whether it is `required:`.
 */
export function checkEnvFiles(services: Map<string, ServiceModel>): void {
	for (const service of services.values()) {
		if (!service.active) continue;
		for (const file of service.envFiles) {
			try {
				parseEnvFile(file, readInputText(file, {namedBy: `env_file of service ${service.name}`}));
			} catch (error) {
				if (error instanceof NetmigrateError) throw error;
			}
		}
	}
}
