import { IncidentList } from '~/components/incidents/incident-list';

export default function IncidentsPage() {
  return <IncidentList />;
}
