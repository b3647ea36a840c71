/**
 * Which stack a container belongs to, from its labels: compose's project and service, or — for a
 * swarm task — the stack's namespace, the service's short name and the task's slot (its name
 * without the task id, which every update replaces).
 */
export type StackIdentity = {project?: string; service?: string; slot?: string};

export function stackIdentity(labels: Record<string, string>): StackIdentity {
	const composeProject = labels['com.docker.compose.project'];
	if (composeProject)
		return {project: composeProject, ...(labels['com.docker.compose.service'] ? {service: labels['com.docker.compose.service']} : {})};
	const namespace = labels['com.docker.stack.namespace'];
	const service = labels['com.docker.swarm.service.name'];
	if (!namespace || !service) return {};
	const task = labels['com.docker.swarm.task.name'];
	return {
		project: namespace,
		service: shortServiceName(namespace, service),
		...(task ? {slot: task.replace(/\.[a-z0-9]{25}$/, '')} : {}),
	};
}

/** A swarm service's name in its stack file: `media_traefik` of stack `media` is `traefik`. */
export function shortServiceName(stack: string, service: string): string {
	return service.startsWith(`${stack}_`) ? service.slice(stack.length + 1) : service;
}

/**
 * The list filters for a stack's containers: compose's, and a swarm stack's running tasks
 * (a swarm keeps the exited tasks an update replaced; they are history, not the stack).
 */
export function stackFilters(project: string): Array<Record<string, string[]>> {
	return [{label: [`com.docker.compose.project=${project}`]}, {label: [`com.docker.stack.namespace=${project}`], status: ['running']}];
}
