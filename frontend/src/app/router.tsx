import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { RootLayout } from './layout/RootLayout';
import { RequireAuth } from './RequireAuth';

// Each page is its own chunk: the sign-in page does not carry the form, and so on.
const GeneratePage = lazy(() => import('./routes/generate'));
const JobPage = lazy(() => import('./routes/job'));
const HistoryPage = lazy(() => import('./routes/history'));
const TokensPage = lazy(() => import('./routes/tokens'));
const SignInPage = lazy(() => import('./routes/signin'));
const NotFoundPage = lazy(() => import('./routes/not-found'));

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<RootLayout />}>
        <Route path="signin" element={<SignInPage />} />
        <Route index element={<RequireAuth><GeneratePage /></RequireAuth>} />
        <Route path="jobs" element={<RequireAuth><HistoryPage /></RequireAuth>} />
        <Route path="jobs/:jobId" element={<RequireAuth><JobPage /></RequireAuth>} />
        <Route path="tokens" element={<RequireAuth><TokensPage /></RequireAuth>} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
