import { createRoot } from 'react-dom/client'
import { BoardPage } from './board/BoardPage.tsx'
import { Notice } from './board/Notice.tsx'
import { parseRoute } from './board/route.ts'
import { I18nProvider, useT } from './i18n/I18nProvider.tsx'
import { StartPage } from './start/StartPage.tsx'
import './styles.css'

function App() {
  const t = useT()
  const route = parseRoute(window.location)
  if (route.page === 'start') return <StartPage />
  if (route.page === 'board') return <BoardPage boardId={route.boardId} token={route.token} />
  return <Notice message={t('board.notFound')} />
}

createRoot(document.getElementById('root')!).render(
  <I18nProvider>
    <App />
  </I18nProvider>,
)
