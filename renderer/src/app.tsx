import { useTranslation } from 'react-i18next';
import { assertNever } from '../../shared/errors';
import { AppHeader } from './components/app-header';
import { KeyStoreGate } from './components/key-store-gate';
import { ConnectionProvider } from './connection';
import { ChairConsole } from './chair/chair-console';
import { HallDisplay } from './screens/hall-display';
import { LoginScreen } from './screens/login';
import { MeetingRoomScreen } from './screens/meeting-room';
import { MeetingsScreen } from './screens/meetings';
import { SecretariatScreen } from './secretariat/secretariat-screen';
import { ConsultationsScreen } from './consultations/consultations-screen';
import { TasksScreen } from './tasks/tasks-screen';
import { RsvpLinkScreen } from './screens/rsvp-link';
import { matchRoute, navigate, usePath, type Route } from './router';
import { SessionQueries } from './queries';
import { SessionProvider, useSession, type Session } from './session';

function Screen({ route }: Readonly<{ route: Route }>) {
  const { t } = useTranslation();
  switch (route.name) {
    case 'login':
    case 'meetings':
      return <MeetingsScreen />;
    case 'room':
      return <MeetingRoomScreen key={route.meetingId} meetingId={route.meetingId} />;
    case 'chair':
      return <ChairConsole key={route.meetingId} meetingId={route.meetingId} />;
    case 'secretariat':
      return <SecretariatScreen key={route.meetingId ?? 'list'} meetingId={route.meetingId} />;
    case 'display':
      return <HallDisplay meetingId={route.meetingId} />;
    case 'rsvp':
      return <RsvpLinkScreen />;
    case 'consultations':
      return <ConsultationsScreen key={route.consultationId ?? 'list'} consultationId={route.consultationId} />;
    case 'tasks':
      return <TasksScreen />;
    case 'notFound':
      return (
        <main className="page">
          <h1>{t('errors.pageNotFound')}</h1>
        </main>
      );
    default:
      return assertNever(route, 'route');
  }
}

function Shell() {
  const { t } = useTranslation();
  const path = usePath();
  const route = matchRoute(path);
  const { session, signIn } = useSession();
  if (route.name === 'rsvp') {
    // The emailed RSVP link works without signing in: its token answers that one invitation only.
    return <RsvpLinkScreen />;
  }
  if (!session) {
    return (
      <LoginScreen
        onSignedIn={(s: Session) => {
          signIn(s);
          if (route.name === 'login') {
            navigate('/', { replace: true });
          }
        }}
      />
    );
  }
  if (route.name === 'display') {
    // The projector view has no chrome at all.
    return <HallDisplay meetingId={route.meetingId} />;
  }
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('common.skip')}
      </a>
      <AppHeader />
      <Screen route={route} />
    </div>
  );
}

export function App({ initialSession }: Readonly<{ initialSession?: Session | null }>) {
  return (
    <KeyStoreGate>
      <SessionProvider initial={initialSession}>
        <SessionQueries>
          <ConnectionProvider>
            <Shell />
          </ConnectionProvider>
        </SessionQueries>
      </SessionProvider>
    </KeyStoreGate>
  );
}
