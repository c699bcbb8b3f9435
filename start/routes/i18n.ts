import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const LocaleController = () => import('#i18n/controllers/locale_controller')

// Anyone, signed in or not, may pick the interface language
router
  .post('/locale', [LocaleController, 'update'])
  .as('i18n.locale.update')
  .use(middleware.authorize({ public: true }))
