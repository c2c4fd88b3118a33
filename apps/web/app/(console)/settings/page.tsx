import { SettingsView } from '~/components/console/settings-view';

export default function SettingsPage() {
  return <SettingsView />;
}
