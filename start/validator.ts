/*
 * VineJS for every form, filter and API body: an empty field is an absent one (a browser sends
 * every input of a submitted form, filled or not), and messages name fields as forms label them.
 */
import vine from '@vinejs/vine'
import { ConsoleMessagesProvider } from '#core/validation_messages'

vine.convertEmptyStringsToNull = true
vine.messagesProvider = new ConsoleMessagesProvider()
