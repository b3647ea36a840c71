/**
 * The observable state of the example stack, read straight from the engine with dockerode
 * (not through netmigrate's adapter) and from the files, for before/after comparisons.
 */
import type Docker from 'dockerode';
import {treeHashes} from './stack.js';

export type StackState = {files: Record<string, string>; membership: Record<string, string[]>; networks: string[]};

export async function membership(docker: Docker, project = 'media'): Promise<Record<string, string[]>> {
	const containers = await docker.listContainers({all: true, filters: {label: [`com.docker.compose.project=${project}`]}});
	const result: Record<string, string[]> = {};
	for (const summary of containers) {
		const inspected = await docker.getContainer(summary.Id).inspect();
		result[inspected.Name.replace(/^\//, '')] = Object.keys(inspected.NetworkSettings.Networks ?? {}).sort();
	}
	return result;
}

export async function stackState(docker: Docker, root: string): Promise<StackState> {
	const files = treeHashes(root);
	for (const name of Object.keys(files)) if (name.startsWith('.netmigrate')) delete files[name];
	const networks = (await docker.listNetworks()).map((network) => network.Name).sort();
	return {files, membership: await membership(docker), networks};
}
