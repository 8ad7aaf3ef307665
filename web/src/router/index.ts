import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import AppLayout from '@/layouts/AppLayout.vue'
import { HOME_PATH, sections, type Section } from './sections'

declare module 'vue-router' {
  interface RouteMeta {
    /** Key of the section (i18n `section.<key>`), shown in menu, title and breadcrumbs. */
    section?: string
  }
}

// Every section shows the same "under construction" page until its own view exists.
const SectionPage = () => import('@/views/SectionPage.vue')
const NotFound = () => import('@/views/NotFound.vue')

function toRoute(section: Section): RouteRecordRaw {
  if (section.children?.length) {
    const first = section.children[0]!
    return {
      path: section.path,
      meta: { section: section.key },
      redirect: `/${section.path}/${first.path}`,
      children: section.children.map(toRoute),
    }
  }
  return { path: section.path, name: section.key, component: SectionPage, meta: { section: section.key } }
}

export const routes: RouteRecordRaw[] = [
  {
    path: '/',
    component: AppLayout,
    children: [
      { path: '', redirect: HOME_PATH },
      ...sections.map(toRoute),
      { path: ':pathMatch(.*)*', name: 'notFound', component: NotFound },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})
