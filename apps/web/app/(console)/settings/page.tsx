import { SettingsView } from '~/components/console/settings-view';
import { DangerZone } from '~/components/settings/danger-zone';

export default function SettingsPage() {
  return (
    <>
      <SettingsView />
      <DangerZone />
    </>
  );
}
