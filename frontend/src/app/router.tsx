import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { RootLayout } from './layout/RootLayout';
import { RequireAuth } from './RequireAuth';

// Each page is its own chunk: the sign-in page does not carry the form, and so on.
const GeneratePage = lazy(() => import('./routes/generate'));
const JobPage = lazy(() => import('./routes/job'));
const HistoryPage = lazy(() => import('./routes/history'));
const SettingsPage = lazy(() => import('./routes/settings'));
const LibraryPage = lazy(() => import('./routes/library'));
const ReviewsPage = lazy(() => import('./routes/reviews'));
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
        <Route path="library" element={<RequireAuth><LibraryPage /></RequireAuth>} />
        <Route path="reviews" element={<RequireAuth><ReviewsPage /></RequireAuth>} />
        <Route path="settings" element={<RequireAuth><SettingsPage /></RequireAuth>} />
        {/* The access tokens were a page of their own before Settings held them; old links still work. */}
        <Route path="tokens" element={<Navigate to="/settings" replace />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
