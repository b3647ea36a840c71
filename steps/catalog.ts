/**
 * The steps of one iteration, in order, and which of them change the host. Kept apart from the
 * planners so the wizard can draw its step list before the compose and engine code has loaded.
 */
export type StepName = 'preflight' | 'backup' | 'networks' | 'multihome' | 'firewall' | 'ports' | 'detach' | 'checks' | 'report';

export type StepInfo = {name: StepName; title: string; changesHost: boolean};

export const steps: StepInfo[] = [
	{name: 'preflight', title: 'Preflight', changesHost: false},
	{name: 'backup', title: 'Backup', changesHost: false},
	{name: 'networks', title: 'Create networks', changesHost: true},
	{name: 'multihome', title: 'Multi-home services', changesHost: true},
	{name: 'firewall', title: 'Update firewall allow-lists', changesHost: true},
	{name: 'ports', title: 'Unpublish ports', changesHost: true},
	{name: 'detach', title: 'Detach networks', changesHost: true},
	{name: 'checks', title: 'Connectivity checks', changesHost: false},
	{name: 'report', title: 'Report', changesHost: false},
];
