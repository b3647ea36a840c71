/**
 * How netmigrate joins a service to a network, shared by the steps that connect, disconnect and
 * update services (multihome, detach, firewall): the aliases a container's endpoint gets, and
 * the order in which a swarm service's update replaces its tasks.
 */
import type {SwarmService} from '../domain.js';

/** start-first (the new task runs before the old one stops: no gap) unless two tasks must not run at once. */
export function updateOrder(service: SwarmService): {order: 'start-first' | 'stop-first'; orderReason: string} {
	if (service.replicas === undefined) return {order: 'stop-first', orderReason: 'a global service runs one task per node'};
	if (service.mounts > 0)
		return {order: 'stop-first', orderReason: `${service.mounts} mount${service.mounts === 1 ? '' : 's'} two tasks would share`};
	return {order: 'start-first', orderReason: 'no mounts: the new task starts before the old one stops'};
}

/** The aliases a container gets on a network it joins: the service name, and the container name when it differs. */
export function uniqueAliases(service: string, container: string): string[] {
	return container === service ? [service] : [service, container];
}
