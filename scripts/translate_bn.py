"""Fill Bengali translations into tracker/translations/bn from the table below.

Run after `pybabel update` when new interface strings appear; untranslated strings stay
in English until someone adds them here or edits messages.po directly.
"""
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "tracker/translations/bn/LC_MESSAGES/messages.po"

BENGALI = {
    "You have sent many reports in a short time. Wait a while, then send it again: what you wrote is kept.": "আপনি অল্প সময়ে অনেকগুলো রিপোর্ট পাঠিয়েছেন। কিছুক্ষণ অপেক্ষা করে আবার পাঠান: আপনার লেখা রাখা আছে।",
    "You cannot report comments at the moment: %(reason)s": "আপনি এই মুহূর্তে মন্তব্য রিপোর্ট করতে পারবেন না: %(reason)s",
    "You cannot report comments at the moment.": "আপনি এই মুহূর্তে মন্তব্য রিপোর্ট করতে পারবেন না।",
    "Mark all as read": "সব পড়া হয়েছে বলে চিহ্নিত করুন",
    "%(num)s characters left": "আর %(num)sটি অক্ষর লেখা যাবে",
    "%(num)s characters too many: shorten it before sending": "%(num)sটি অক্ষর বেশি হয়েছে: পাঠানোর আগে ছোট করুন",
    "Up to %(num)s characters": "সর্বোচ্চ %(num)sটি অক্ষর",
    "What you typed before you had to log in again is back in the form. Check it, then send it.": "আবার লগ ইন করার আগে আপনি যা লিখেছিলেন তা ফর্মে ফিরিয়ে দেওয়া হয়েছে। দেখে নিয়ে পাঠান।",
    "Please log in to continue.": "চালিয়ে যেতে লগ ইন করুন।",
    "up to %(high)s": "%(high)s পর্যন্ত",
    "from %(low)s": "%(low)s থেকে",
    "%(range)s years": "%(range)s বছর",
    "Email": "ইমেইল",
    "Enter your email address.": "আপনার ইমেইল ঠিকানা লিখুন।",
    "That does not look like an email address; check for typos.": "এটি ইমেইল ঠিকানার মতো দেখাচ্ছে না; বানান দেখে নিন।",
    "Display name": "প্রদর্শিত নাম",
    "Enter the name others will see beside your comments.": "আপনার মন্তব্যের পাশে অন্যরা যে নাম দেখবেন তা লিখুন।",
    "Keep your display name to 60 characters or fewer.": "প্রদর্শিত নাম ৬০ অক্ষরের মধ্যে রাখুন।",
    "Password": "পাসওয়ার্ড",
    "Choose a password.": "একটি পাসওয়ার্ড বেছে নিন।",
    "Use at least %(min)d characters for your password.": "পাসওয়ার্ডে অন্তত %(min)d অক্ষর দিন।",
    "Password again": "আবার পাসওয়ার্ড",
    "Type your password a second time.": "পাসওয়ার্ডটি আরেকবার লিখুন।",
    "The two passwords do not match.": "দুটি পাসওয়ার্ড মিলছে না।",
    "An account with this email already exists. Log in instead?": "এই ইমেইলে একটি অ্যাকাউন্ট আগে থেকেই আছে। লগ ইন করবেন?",
    "Enter your password.": "আপনার পাসওয়ার্ড লিখুন।",
    "Remember me": "আমাকে মনে রাখুন",
    "Welcome, %(name)s! Your account is ready.": "স্বাগতম, %(name)s! আপনার অ্যাকাউন্ট তৈরি হয়েছে।",
    "No account uses this email address. Check it, or register.": "এই ইমেইলে কোনো অ্যাকাউন্ট নেই। ঠিকানাটি দেখুন, অথবা নিবন্ধন করুন।",
    "That password is not right. Try again.": "পাসওয়ার্ডটি সঠিক নয়। আবার চেষ্টা করুন।",
    "You are logged in.": "আপনি লগ ইন করেছেন।",
    "You are logged out.": "আপনি লগ আউট করেছেন।",
    "Job tracker": "চাকরির ট্র্যাকার",
    "Career guides": "ক্যারিয়ার গাইড",
    "Skip to content": "মূল অংশে যান",
    "Main": "প্রধান",
    "Roles": "পদসমূহ",
    "moderator": "মডারেটর",
    "Log out": "লগ আউট",
    "Log in": "লগ ইন",
    "Register": "নিবন্ধন",
    "Career guides for first jobs, with a tracker for your applications.": "প্রথম চাকরির ক্যারিয়ার গাইড, সাথে আপনার আবেদনের ট্র্যাকার।",
    "Language": "ভাষা",
    "Change": "বদলান",
    "New here?": "নতুন?",
    "Create an account": "অ্যাকাউন্ট খুলুন",
    "Shown beside your comments.": "আপনার মন্তব্যের পাশে দেখানো হবে।",
    "At least 8 characters.": "অন্তত ৮ অক্ষর।",
    "Create account": "অ্যাকাউন্ট খুলুন",
    "Already have an account?": "আগে থেকেই অ্যাকাউন্ট আছে?",
    "Job titles": "সাধারণ পদবী",
    "Department": "বিভাগ",
    "Organisation types": "প্রতিষ্ঠানের ধরন",
    "Career type": "ক্যারিয়ারের ধরন",
    "Level": "লেভেল",
    "Experience at entry level": "এন্ট্রি লেভেলে সম্ভাব্য অভিজ্ঞতা সীমা",
    "Pay per month at entry level": "এন্ট্রি লেভেলে সম্ভাব্য গড় বেতন",
    "Age at entry level": "এন্ট্রি লেভেলে সম্ভাব্য বয়স",
    "Core skills": "মূল স্কিল",
    "Special skills": "বিশেষ স্কিল",
    "Variants": "ধরন",
    "At a glance": "এক নজরে",
    ("%(num)d role", "%(num)d roles"): ("%(num)dটি পদ", "%(num)dটি পদ"),
    "Category": "বিভাগ",
    "Pay per month": "মাসিক বেতন",
    "Pages": "পাতা",
    "Previous": "আগের",
    "Page %(page)d of %(pages)d": "পাতা %(page)d / %(pages)d",
    "Next": "পরের",
    "No roles match your search. Try fewer words or clear a filter.": "আপনার খোঁজের সাথে কোনো পদ মেলেনি। কম শব্দে খুঁজুন বা একটি ফিল্টার সরান।",
    "There are no roles in the catalogue yet.": "তালিকায় এখনো কোনো পদ নেই।",
    "Find a role": "পদ খুঁজুন",
    "Search by title, skill or duty (Bengali or English)": "পদবী, স্কিল বা কাজ দিয়ে খুঁজুন (বাংলা বা ইংরেজি)",
    "Any": "যেকোনো",
    "Search": "খুঁজুন",
    "You do not have permission to do that.": "এটি করার অনুমতি আপনার নেই।",
    "We could not find that page.": "পাতাটি খুঁজে পাওয়া যায়নি।",
    "That action is not available here.": "এখানে এই কাজটি করা যায় না।",
    "That was too large to send.": "পাঠানোর জন্য এটি অনেক বড়।",
    "Too many attempts in a short time. Please wait a minute and try again.": "অল্প সময়ে অনেকবার চেষ্টা হয়েছে। এক মিনিট অপেক্ষা করে আবার চেষ্টা করুন।",
    "Something went wrong.": "কিছু একটা ভুল হয়েছে।",
    "Your form had expired. Go back, reload the page and send it again.": "ফর্মটির মেয়াদ শেষ হয়ে গেছে। ফিরে গিয়ে পাতাটি আবার লোড করে পাঠান।",
    "Back to the roles": "পদের তালিকায় ফিরুন",
    "The request could not be understood. If you were sending a form, reload the page and try again.": "অনুরোধটি বোঝা যায়নি। ফর্ম পাঠাচ্ছিলেন হলে পাতাটি আবার লোড করে চেষ্টা করুন।",
    "Something went wrong on our side. Nothing you typed was saved; please try again.": "আমাদের দিকে একটি সমস্যা হয়েছে। আপনার লেখা কিছুই সংরক্ষিত হয়নি; আবার চেষ্টা করুন।",
    "That did not go through: this page has expired (did you log out in another tab?). Copy what you typed, then reload the page and try again.": "এটি পাঠানো যায়নি: পাতাটির মেয়াদ শেষ হয়ে গেছে (অন্য কোনো ট্যাবে কি লগ আউট করেছেন?)। যা লিখেছেন তা কপি করে রাখুন, তারপর পাতাটি আবার লোড করে চেষ্টা করুন।",
    "That can no longer be done: this page is out of date. Reload it to see it as it is now.": "এটি আর করা যাচ্ছে না: পাতাটি পুরনো হয়ে গেছে। এখনকার অবস্থা দেখতে পাতাটি আবার লোড করুন।",
    "That did not go through: something went wrong on our side. Please try again in a moment.": "এটি পাঠানো যায়নি: আমাদের দিকে একটি সমস্যা হয়েছে। একটু পরে আবার চেষ্টা করুন।",
    "That did not go through: no connection. Check your internet and try again; what you typed is still here.": "এটি পাঠানো যায়নি: ইন্টারনেট সংযোগ নেই। সংযোগ দেখে আবার চেষ্টা করুন; আপনার লেখা এখানেই আছে।",
    "Close": "বন্ধ করুন",
    "“%(stage)s” is final: the application cannot move again afterwards. Tick the box to confirm.": "“%(stage)s” শেষ ধাপ: এরপর আবেদনটি আর অন্য ধাপে যাবে না। নিশ্চিত করতে বক্সে টিক দিন।",
    "Yes, move it: this is final": "হ্যাঁ, এই ধাপে নিন: এটি শেষ ধাপ",
    "Remove this interview": "এই ইন্টারভিউটি মুছে ফেলুন",
    "The interview is removed.": "ইন্টারভিউটি মুছে ফেলা হয়েছে।",
    "This application is closed (“%(stage)s”), so it takes no new interviews.": "এই আবেদনটি বন্ধ (“%(stage)s”), তাই এতে নতুন ইন্টারভিউ যোগ করা যায় না।",
    "Nothing was saved. Go back, make it shorter and send it again.": "কিছুই সংরক্ষিত হয়নি। আগের পাতায় ফিরে গিয়ে লেখাটি ছোট করে আবার পাঠান।",
    "That did not go through: it was too large to send. Make it shorter and try again; what you typed is still here.": "এটি পাঠানো যায়নি: পাঠানোর জন্য এটি অনেক বড়। ছোট করে আবার চেষ্টা করুন; আপনার লেখা এখানেই আছে।",
    "Enter a date from 2000 on; check the year.": "২০০০ সাল বা তার পরের একটি তারিখ লিখুন; সালটি দেখে নিন।",
    "Enter a date within the next two years; check the year.": "আগামী দুই বছরের মধ্যের একটি তারিখ লিখুন; সালটি দেখে নিন।",
    "Follow up after the day you applied (%(day)s), not before it.": "আবেদনের দিনের (%(day)s) পরে খোঁজ নিন, আগে নয়।",
    "Devices you are logged in on": "যেসব ডিভাইসে আপনি লগ ইন করে আছেন",
    "Each login lasts until you log out there, or until it goes unused for %(idle)s days (%(max)s days at most).": "প্রতিটি লগ ইন চালু থাকে সেখানে লগ আউট না করা পর্যন্ত, অথবা %(idle)s দিন ব্যবহার না হওয়া পর্যন্ত (সর্বোচ্চ %(max)s দিন)।",
    "A device that did not say what it is": "একটি ডিভাইস, যা নিজের পরিচয় জানায়নি",
    "This device": "এই ডিভাইস",
    "Started": "শুরু",
    "Last seen": "শেষ ব্যবহার",
    "Lost a phone, or logged in on a shared computer? This ends every login, this one too.": "ফোন হারিয়েছেন, বা অন্যের কম্পিউটারে লগ ইন করেছিলেন? এটি সব লগ ইন শেষ করবে, এটিও।",
    "Log out everywhere": "সব জায়গা থেকে লগ আউট",
    "You are logged out on every device.": "আপনি সব ডিভাইস থেকে লগ আউট করেছেন।",
    "Choose your language:": "ভাষা বেছে নিন:",
    "Choose the kind of interview.": "ইন্টারভিউয়ের ধরন বেছে নিন।",
    "What the job is, the skills it asks for, its pay, and questions from others.": "কাজটি কী, কোন স্কিল লাগে, বেতন কত, আর অন্যদের প্রশ্ন ও উত্তর।",
    "Pay per month: %(pay)s.": "মাসিক বেতন: %(pay)s।",
    "Your reply is posted.": "আপনার উত্তর পোস্ট হয়েছে।",
    "Menu": "মেনু",
    "Filters": "ফিল্টার",
    "Your comment is posted.": "আপনার মন্তব্য পোস্ট হয়েছে।",
    "Your comment is saved.": "আপনার মন্তব্য সংরক্ষিত হয়েছে।",
    ("%(num)d application", "%(num)d applications"): ("%(num)dটি আবেদন", "%(num)dটি আবেদন"),
    "Find entry-level roles in Bangladesh: what each job is, its pay and skills, and questions from others.": "বাংলাদেশে প্রথম চাকরির পদ খুঁজুন: কাজটি কী, বেতন ও স্কিল, আর অন্যদের প্রশ্ন ও উত্তর।",
    "Log in to track your job applications and join the discussions.": "আপনার চাকরির আবেদন ট্র্যাক করতে ও আলোচনায় অংশ নিতে লগ ইন করুন।",
    "Create a free account to save roles and track your job applications.": "পদ সংরক্ষণ করতে ও চাকরির আবেদন ট্র্যাক করতে একটি বিনামূল্যের অ্যাকাউন্ট খুলুন।",
}


def main() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="bn")
    for message in catalog:
        if not message.id:
            continue
        translation = BENGALI.get(message.id if isinstance(message.id, str) else tuple(message.id))
        # A plural message's string is a tuple, empty strings while untranslated.
        current = message.string if isinstance(message.string, tuple) else (message.string,)
        if translation and (not any(current) or message.fuzzy):
            message.string = translation
            message.flags.discard("fuzzy")
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=100)


if __name__ == "__main__":
    main()
